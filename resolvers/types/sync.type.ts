import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description: 'How many of each change a sync run planned (and, unless dry or waiting, applied).',
  simpleResolvers: true,
})
export class SyncCounts {
  @Field(() => Int) usersAdded!: number;
  @Field(() => Int) usersUpdated!: number;
  @Field(() => Int) usersRenamed!: number;
  @Field(() => Int) usersDeactivated!: number;
  @Field(() => Int) usersRemoved!: number;
  @Field(() => Int) groupsAdded!: number;
  @Field(() => Int) groupsUpdated!: number;
  @Field(() => Int) groupsRemoved!: number;
  @Field(() => Int) membershipsAdded!: number;
  @Field(() => Int) membershipsRemoved!: number;
}

@ObjectType({ simpleResolvers: true })
class Rename {
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
}

@ObjectType({ simpleResolvers: true })
class MembershipChange {
  @Field(() => String) member!: string;
  @Field(() => String) group!: string;
}

@ObjectType({
  description: 'Who a plan affects; each list holds at most 1,000 entries (the counts are exact).',
  simpleResolvers: true,
})
export class SyncDetails {
  @Field(() => [String]) usersAdded!: string[];
  @Field(() => [Rename]) usersRenamed!: Rename[];
  @Field(() => [String]) usersDeactivated!: string[];
  @Field(() => [String]) usersRemoved!: string[];
  @Field(() => [String]) groupsAdded!: string[];
  @Field(() => [String]) groupsRemoved!: string[];
  @Field(() => [MembershipChange]) membershipsAdded!: MembershipChange[];
  @Field(() => [MembershipChange]) membershipsRemoved!: MembershipChange[];
}

@ObjectType({ simpleResolvers: true })
class CollisionRename {
  @Field(() => String) externalId!: string;
  @Field(() => String) name!: string;
}

@ObjectType({
  description: 'Several people (or groups) projected to one name; who kept it and what the others got.',
  simpleResolvers: true,
})
export class NameCollision {
  @Field(() => String, { description: 'user or group' }) kind!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'External id of the entity that kept the name.' }) keptBy!: string;
  @Field(() => [CollisionRename]) renamed!: CollisionRename[];
}

@ObjectType('SyncRun', { description: 'One synchronisation of one directory.' })
export class SyncRunType {
  @Field(() => Int) id!: number;
  @Field(() => String, { description: 'full or incremental (an incremental run that fell back says full).' })
  mode!: string;
  @Field(() => String, {
    description:
      'schedule, manual, startup, approval or configuration (the first run after a directory was made, changed or enabled).',
  })
  trigger!: string;
  @Field(() => String, { description: 'running, succeeded, failed, awaiting-approval, dropped or dry-run.' })
  status!: string;
  @Field(() => Date) startedAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Field(() => String, { nullable: true }) error!: string | null;
}

@ObjectType({ description: 'A run in progress.', simpleResolvers: true })
export class SyncProgressType {
  @Field(() => Int) runId!: number;
  @Field(() => String) mode!: string;
  @Field(() => String, { description: 'reading, planning or applying.' }) phase!: string;
  @Field(() => Int) usersRead!: number;
  @Field(() => Int) groupsRead!: number;
  @Field(() => Int) groupsWithMembersRead!: number;
  @Field(() => Int) membershipsRead!: number;
}
