import 'reflect-metadata';
import { buildCrowdgateSchema } from '../../../resolvers/schema';
import { openSqliteStore } from '../../store/open';
import { createLogger, describeError, logLevelFromEnv } from '../../logging/logger';
import { startServer } from '../server';
import { isMessage, type StartMessage, type WorkerStatus } from './messages';
import { PrimaryLink, type Channel } from './rpc';
import { remoteServices } from './shared-services';

/**
 * Entry point of a serving worker, forked by primary.ts. Waits for its StartMessage, opens the
 * store (reads; SQLite WAL lets them run beside the primary's writes) and serves HTTP exactly as
 * a single process does, with the sync engine and the Crowd SSO sessions reached in the primary.
 * Exits when told to stop or when the primary goes away.
 */
const channel = process as unknown as Channel;
// The primary checked CROWDGATE_LOG_LEVEL; workers inherit its environment.
const logger = createLogger(undefined, logLevelFromEnv());

/** Sends a status to the primary; resolves once it is written to the channel. */
function report(status: WorkerStatus): Promise<void> {
  return new Promise((resolve) => process.send!(status, undefined, {}, () => resolve()));
}

async function serve(start: StartMessage): Promise<void> {
  const link = new PrimaryLink(channel);
  const { control, sessions } = remoteServices(link);
  const store = openSqliteStore(start.config.dataDir);
  const server = await startServer({
    config: start.config,
    ...(start.fileLabel ? { fileLabel: start.fileLabel } : {}),
    store,
    schema: await buildCrowdgateSchema(),
    logger,
    engine: control,
    sessions,
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      link.failAll('crowdgate is stopping');
      await server.close();
      await store.close();
    })().finally(() => process.exit(0)));
  process.on('message', (message) => {
    if (isMessage(message, 'stop')) void stop();
  });
  // The primary is gone (crashed or killed): nothing can answer sync or session calls any more.
  process.once('disconnect', () => void stop());
  // Ctrl+C reaches the whole process group; the primary decides when workers stop.
  process.on('SIGINT', () => {});
  await report({ type: 'listening', url: server.url });
}

process.once('message', (message) => {
  if (!isMessage<StartMessage>(message, 'start')) return;
  serve(message).catch(async (error: unknown) => {
    logger.error('serving worker failed to start', describeError(error));
    // Exit only once the reason is on its way: process.exit drops unsent IPC messages.
    await report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
});
