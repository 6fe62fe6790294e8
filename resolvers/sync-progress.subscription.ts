import { Arg, Field, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { SyncRun } from '../src/store/sync-records';
import { engineOf, type GraphQLContext } from './context';
import { progressView } from './sync.resolver';
import { SyncProgressType, SyncRunType } from './types/sync.type';

/** How often a subscription looks at the engine (its progress counters are not events). */
const POLL_MS = 250;

@ObjectType('SyncProgressEvent', {
  description: 'A directory’s synchronisation now: the run in progress and the newest run.',
})
export class SyncProgressEventType {
  @Field(() => String) directory!: string;
  @Field(() => SyncProgressType, { nullable: true, description: 'The run in progress, if any.' })
  running!: SyncProgressType | null;
  @Field(() => SyncRunType, { nullable: true, description: 'The newest run (the one in progress while it runs).' })
  lastRun!: SyncRun | null;
}

@Resolver()
export class SyncProgressSubscription {
  @Subscription(() => SyncProgressEventType, {
    description:
      'Live progress of a directory’s synchronisation over WebSocket (graphql-transport-ws on /graphql): the state at once, then every change (read counters, phase, a run that starts or ends), at most every 250 ms.',
    subscribe: ({ args, context }) => progressEvents(context as GraphQLContext, String(args.directory)),
  })
  syncProgress(
    @Root() event: SyncProgressEventType,
    @Arg('directory', () => String) _directory: string,
  ): SyncProgressEventType {
    return event;
  }
}

async function* progressEvents(ctx: GraphQLContext, directory: string): AsyncGenerator<SyncProgressEventType> {
  const [id] = ctx.directories.resolve([directory]);
  const engine = engineOf(ctx);
  let last = '';
  for (;;) {
    const progress = await engine.progress(id!);
    const [lastRun] = await ctx.store.listRuns({ directoryId: id!, limit: 1 });
    const event = { directory, running: progress ? progressView(progress) : null, lastRun: lastRun ?? null };
    const key = JSON.stringify([event.running, lastRun?.id, lastRun?.status]);
    if (key !== last) {
      last = key;
      yield event;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
