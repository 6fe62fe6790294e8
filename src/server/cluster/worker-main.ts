import 'reflect-metadata';
import { buildCrowdgateSchema } from '../../../resolvers/schema';
import { openConfiguredStore } from '../../store/open';
import { sharedLoginLimitsOf } from '../../nodes/shared-login-limits';
import { createLogger, describeError } from '../../logging/logger';
import { startServer } from '../server';
import { answerMetricsRequests } from '../../metrics/cluster-metrics';
import { processRegistry } from '../../metrics/registry';
import { serverMetrics } from '../../metrics/server-metrics';
import { isMessage, type ReloadTlsMessage, type StartMessage, type WorkerStatus } from './messages';
import { PrimaryLink, type Channel } from './rpc';
import { remoteServices } from './shared-services';

/**
 * Entry point of a serving worker, forked by primary.ts. Waits for its StartMessage, opens the
 * store (reads; SQLite WAL lets them run beside the primary's writes) and serves HTTP exactly as
 * a single process does, with the sync engine and the Crowd SSO sessions reached in the primary.
 * Exits when told to stop or when the primary goes away.
 */
const channel = process as unknown as Channel;
// Until the StartMessage brings the level the primary chose (--log-level, CROWDGATE_LOG_LEVEL, logLevel).
let logger = createLogger(undefined, 'info');

/** Sends a status to the primary; resolves once it is written to the channel. */
function report(status: WorkerStatus): Promise<void> {
  return new Promise((resolve) => process.send!(status, undefined, {}, () => resolve()));
}

async function serve(start: StartMessage): Promise<void> {
  logger = createLogger(undefined, start.config.logLevel ?? 'info');
  const link = new PrimaryLink(channel);
  const { control, sessions } = remoteServices(link);
  const store = await openConfiguredStore(start.config, { applicationName: 'crowdgate worker', logger });
  // On PostgreSQL every serving process shares the failed-login counts; else each counts alone.
  const shared = await sharedLoginLimitsOf(start.config, store, logger);
  // This worker's HTTP metrics; /metrics asks the primary, which sums every worker's and its own.
  const registry = start.config.metrics?.enabled === false ? undefined : processRegistry();
  if (registry) answerMetricsRequests(registry);
  const server = await startServer({
    config: start.config,
    ...(start.fileLabel ? { fileLabel: start.fileLabel } : {}),
    store,
    schema: await buildCrowdgateSchema(),
    logger,
    engine: control,
    sessions,
    ...(shared ? { loginLimits: shared.limits } : {}),
    ...(registry ? { metrics: serverMetrics(registry, () => link.call<string>('metrics.exposition')) } : {}),
  });
  let stopping: Promise<void> | undefined;
  // Told to stop: requests in progress are drained (they may still need the primary); the primary
  // gone: nothing can answer sync or session calls any more, so those fail at once.
  const stop = (primaryGone: boolean) =>
    (stopping ??= (async () => {
      if (primaryGone) link.failAll('crowdgate is stopping');
      await server.close();
      if (!primaryGone) {
        // node:cluster may hand this worker a connection until the primary has read that its server
        // closed; the worker hands such a connection back, but only while it runs (exiting first
        // loses it: the client waits forever). A round trip on the same channel, after the close,
        // lets every such hand-over arrive and go back; `stopped` is written once they are sent.
        await link.call('cluster.closed').catch(() => undefined);
        await report({ type: 'stopped' });
      }
      link.failAll('crowdgate is stopping');
      await shared?.close();
      await store.close();
    })().finally(() => process.exit(0)));
  process.on('message', (message) => {
    if (isMessage(message, 'stop')) void stop(false);
    else if (isMessage<ReloadTlsMessage>(message, 'reload-tls')) void server.reloadTls();
  });
  process.once('disconnect', () => void stop(true));
  // Ctrl+C reaches the whole process group, and so may a service manager's SIGTERM: the primary
  // decides when workers stop, and drains them one by one.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  // So does a terminal's SIGHUP; the primary forwards TLS reloads ('reload-tls').
  process.on('SIGHUP', () => {});
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
