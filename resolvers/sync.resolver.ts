import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root, UseMiddleware } from 'type-graphql';
import { Audited } from './admin/audited';
import type { Directory } from '../src/domain/directory';
import { DirectoryError } from '../src/domain/errors';
import type { SyncRun } from '../src/store/sync-records';
import type { RunReport, SyncProgress } from '../src/sync/engine';
import { engineOf, type GraphQLContext } from './context';
import { DirectoryType } from './types/directory.type';
import { NameCollision, SyncCounts, SyncDetails, SyncProgressType, SyncRunType } from './types/sync.type';

const report = (run: SyncRun): RunReport => (run.report ?? {}) as RunReport;

@Resolver(() => SyncRunType)
export class SyncResolver {
  @Query(() => [SyncRunType], { description: 'Sync runs, newest first; of one directory or of all.' })
  async syncRuns(
    @Ctx() ctx: GraphQLContext,
    @Arg('directory', () => String, { nullable: true }) directory?: string | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first = 20,
  ): Promise<SyncRun[]> {
    if (first < 1 || first > 1000) throw new DirectoryError('INVALID_ARGUMENT', 'first must be between 1 and 1000');
    const directoryId = directory ? ctx.directories.resolve([directory])[0] : undefined;
    return ctx.store.listRuns({ ...(directoryId !== undefined ? { directoryId } : {}), limit: first });
  }

  @Query(() => SyncProgressType, { nullable: true, description: 'The run in progress for a directory, if any.' })
  async syncProgress(
    @Arg('directory', () => String) directory: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SyncProgressType | null> {
    const [id] = ctx.directories.resolve([directory]);
    const progress = await engineOf(ctx).progress(id!);
    return progress ? progressView(progress) : null;
  }

  @Mutation(() => SyncRunType, {
    description:
      'Synchronises a directory now and answers when the run ends (a run already queued is joined). dryRun: plan only. A plan over the safety threshold ends awaiting-approval.',
  })
  @UseMiddleware(Audited)
  syncDirectory(
    @Arg('name', () => String) name: string,
    @Ctx() ctx: GraphQLContext,
    @Arg('full', () => Boolean, { defaultValue: true }) full = true,
    @Arg('dryRun', () => Boolean, { defaultValue: false }) dryRun = false,
  ): Promise<SyncRun> {
    return engineOf(ctx).sync(name, { mode: full ? 'full' : 'incremental', trigger: 'manual', dryRun });
  }

  @Mutation(() => SyncRunType, { description: 'Applies a plan that waits for approval.' })
  @UseMiddleware(Audited)
  approveSync(@Arg('runId', () => Int) runId: number, @Ctx() ctx: GraphQLContext): Promise<SyncRun> {
    return engineOf(ctx).approve(runId);
  }

  @Mutation(() => SyncRunType, {
    description: 'Discards a plan that waits for approval; the directory keeps its state.',
  })
  @UseMiddleware(Audited)
  dropSync(@Arg('runId', () => Int) runId: number, @Ctx() ctx: GraphQLContext): Promise<SyncRun> {
    return engineOf(ctx).drop(runId);
  }

  @FieldResolver(() => DirectoryType)
  directory(@Root() run: SyncRun, @Ctx() ctx: GraphQLContext): Directory {
    return ctx.directories.get(run.directoryId);
  }

  @FieldResolver(() => SyncCounts, { nullable: true })
  counts(@Root() run: SyncRun): SyncCounts | null {
    return Object.keys(run.counts).length > 0 ? (run.counts as unknown as SyncCounts) : null;
  }

  @FieldResolver(() => SyncDetails, { nullable: true })
  details(@Root() run: SyncRun): SyncDetails | null {
    return report(run).details ?? null;
  }

  @FieldResolver(() => [NameCollision])
  collisions(@Root() run: SyncRun): NameCollision[] {
    return (report(run).collisions ?? []).map((c) => ({ ...c, renamed: [...c.renamed] }));
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the run waits for an administrator.' })
  awaitingApproval(@Root() run: SyncRun): string | null {
    return run.status === 'awaiting-approval' ? (report(run).awaitingApproval ?? null) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why an incremental run became a full one.' })
  fallback(@Root() run: SyncRun): string | null {
    return report(run).fallback ?? null;
  }

  @FieldResolver(() => Int, {
    description: 'Answers the provider refused for its rate limits during the run (crowdgate waited and retried).',
  })
  throttled(@Root() run: SyncRun): number {
    return report(run).throttled ?? 0;
  }

  @FieldResolver(() => Int, { description: 'Upstream users left out by filters or the deprovisioning policy.' })
  filteredOut(@Root() run: SyncRun): number {
    return report(run).filteredOut ?? 0;
  }
}

/** A run's progress as GraphQL answers it. */
export function progressView(progress: SyncProgress): SyncProgressType {
  return {
    runId: progress.runId,
    mode: progress.mode,
    phase: progress.phase,
    usersRead: progress.read.users,
    groupsRead: progress.read.groups,
    groupsWithMembersRead: progress.read.groupsWithMembers,
    membershipsRead: progress.read.memberships,
  };
}
