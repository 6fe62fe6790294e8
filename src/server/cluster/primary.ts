import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { localSessions, SessionStore } from '../../../facades/crowd/session-store';
import type { Config } from '../../config/schema';
import { DirectoryError } from '../../domain/errors';
import type { SyncEngine } from '../../sync/engine';
import { startEngine, type ConfigSource } from '../bootstrap';
import type { Logger } from '../../logging/logger';
import { isMessage, type ReloadTlsMessage, type StartMessage, type StopMessage, type WorkerStatus } from './messages';
import { answerCall, isCall } from './rpc';
import { serviceHandlers } from './shared-services';
import { ClusterMetrics } from '../../metrics/cluster-metrics';
import { sessionsGauge } from '../../metrics/server-metrics';
import { DEFAULT_SHUTDOWN_GRACE_SECONDS } from '../server';

export interface CrowdgateCluster {
  /** Base URL every worker serves, e.g. `http://127.0.0.1:8095`. */
  readonly url: string;
  readonly engine: SyncEngine;
  /** The one-time setup token of a first start, to print; else undefined. */
  readonly setupToken: string | undefined;
  /** Process ids of the serving workers now. */
  workerPids(): number[];
  /** Tells every serving worker to re-read its `server.tls` files (SIGHUP); each logs the outcome. */
  reloadTls(): Promise<void>;
  /**
   * Replaces the serving workers one by one (SIGUSR2, e.g. after an upgrade of the files on disk):
   * a new worker is forked and serving before an old one is told to stop, and the old one drains
   * its requests (server.shutdownGraceSeconds), so the port never refuses a connection. Restarts
   * asked for while one runs join it.
   */
  restartWorkers(): Promise<void>;
  stop(): Promise<void>;
}

/** A worker that dies is replaced after this long (not at once: a crash at start would spin). */
const RESTART_DELAY_MS = 1_000;
/** A worker that has not exited this long after its grace period is killed. */
const STOP_MARGIN_MS = 10_000;

/**
 * crowdgate with `server.workers` > 1: this process (the primary) runs the sync engine, its
 * schedule and the Crowd SSO sessions, and forks that many serving workers (worker-main.ts). The
 * workers share the listening port through node:cluster (connections handed out round-robin) and
 * read the same SQLite store; they reach the engine and the sessions here (shared-services.ts).
 * Failed-login limits (src/security/login-limits.ts) stay per worker. A worker that dies is
 * replaced; the primary's stop stops them all first.
 */
export async function startCrowdgateCluster(
  config: Config,
  logger: Logger,
  source: ConfigSource = {},
): Promise<CrowdgateCluster> {
  const running = await startEngine(config, logger, source);
  // Sessions of the primary, or those of every node on a PostgreSQL store.
  const sessionStore = running.sessions ? undefined : new SessionStore();
  const sessions = running.sessions ?? localSessions(sessionStore!);
  const workers = new Set<Worker>();
  // The engine's metrics are here, the HTTP ones in each worker: /metrics sums them (cluster-metrics.ts).
  const metrics = running.registry ? new ClusterMetrics(running.registry, () => [...workers]) : undefined;
  if (running.registry) sessionsGauge(running.registry, running.sessionCount ?? (() => sessionStore!.size));
  const handlers = {
    ...serviceHandlers(running.control, sessions),
    ...(metrics ? { 'metrics.exposition': () => metrics.exposition() } : {}),
    // A stopping worker's round trip after its server closed (worker-main.ts): nothing to do.
    'cluster.closed': async () => undefined,
  };
  const stopTimeoutMs = (config.server.shutdownGraceSeconds ?? DEFAULT_SHUTDOWN_GRACE_SECONDS) * 1000 + STOP_MARGIN_MS;
  const start: StartMessage = {
    type: 'start',
    config,
    ...(source.fileLabel ? { fileLabel: source.fileLabel } : {}),
  };
  cluster.setupPrimary({ exec: join(__dirname, 'worker-main.js'), args: [], serialization: 'advanced' });

  let stopping = false;
  /** Workers being replaced by restartWorkers: their exit is expected. */
  const retiring = new WeakSet<Worker>();
  const fork = (): Promise<string> => {
    const worker = cluster.fork();
    workers.add(worker);
    // A message sent to a worker that is exiting fails with ERR_IPC_CHANNEL_CLOSED, emitted as
    // 'error' on the worker: without a listener that would end the primary. Its 'exit' follows.
    worker.on('error', (error) =>
      logger.warn('serving worker channel error', { workerPid: worker.process.pid, error: String(error) }),
    );
    worker.on('message', (message: unknown) => {
      if (isCall(message)) void answerCall(message, handlers, (result) => worker.isConnected() && worker.send(result));
      else metrics?.receive(message);
    });
    worker.send(start);
    return new Promise<string>((resolve, reject) => {
      let serving = false;
      worker.on('message', (message: unknown) => {
        if (isMessage<Extract<WorkerStatus, { type: 'listening' }>>(message, 'listening')) {
          serving = true;
          resolve(message.url);
        } else if (isMessage<Extract<WorkerStatus, { type: 'failed' }>>(message, 'failed')) {
          reject(new DirectoryError('CONFIGURATION', `a serving worker could not start: ${message.message}`));
        }
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        if (!serving) {
          // Its last messages (a 'failed' with the reason) may still be in the IPC channel when
          // 'exit' fires; 'close' comes after the channel is drained, so the reason wins.
          worker.process.once('close', () =>
            reject(new DirectoryError('INTERNAL', `a serving worker exited while starting (${signal ?? code})`)),
          );
          return;
        }
        if (stopping || retiring.has(worker)) return;
        logger.error('serving worker exited; starting another', { workerPid: worker.process.pid, code, signal });
        setTimeout(() => {
          if (!stopping)
            fork().catch((error: unknown) =>
              logger.error('could not replace a serving worker', { error: String(error) }),
            );
        }, RESTART_DELAY_MS).unref();
      });
    });
  };

  const stopWorkers = async () => {
    stopping = true;
    await Promise.all([...workers].map((worker) => stopWorker(worker, stopTimeoutMs)));
  };
  let restarting: Promise<void> | undefined;
  const restartWorkers = () =>
    (restarting ??= (async () => {
      const old = [...workers];
      logger.info('replacing serving workers one by one', { workers: old.length });
      for (const worker of old) {
        if (stopping) break;
        await fork();
        retiring.add(worker);
        await stopWorker(worker, stopTimeoutMs);
      }
      logger.info('serving workers replaced', { workerPids: [...workers].map((w) => w.process.pid) });
    })().finally(() => (restarting = undefined)));
  try {
    const urls = await Promise.all(Array.from({ length: config.server.workers }, fork));
    return {
      url: urls[0]!,
      engine: running.engine,
      setupToken: running.setupToken,
      workerPids: () => [...workers].map((w) => w.process.pid).filter((pid): pid is number => pid !== undefined),
      restartWorkers,
      reloadTls: async () => {
        const reload: ReloadTlsMessage = { type: 'reload-tls' };
        for (const worker of workers) if (worker.isConnected()) worker.send(reload);
      },
      stop: async () => {
        // Beside the workers' drain (see startCrowdgate): runs still reading end now.
        const abandoned = running.engine.abandonRuns();
        await stopWorkers();
        await abandoned;
        await running.close();
      },
    };
  } catch (error) {
    await stopWorkers();
    await running.close();
    throw error;
  }
}

/** Tells a worker to drain and exit; kills it when it has not after `timeoutMs`. */
function stopWorker(worker: Worker, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (worker.isDead()) return resolve();
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), timeoutMs);
    worker.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    const stop: StopMessage = { type: 'stop' };
    if (worker.isConnected()) worker.send(stop);
    else worker.process.kill('SIGTERM');
  });
}
