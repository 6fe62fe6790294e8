import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { localSessions, SessionStore } from '../../../facades/crowd/session-store';
import type { Config } from '../../config/schema';
import { DirectoryError } from '../../domain/errors';
import { localControl } from '../../sync/control';
import type { SyncEngine } from '../../sync/engine';
import { startEngine, type ConfigSource } from '../bootstrap';
import type { Logger } from '../../logging/logger';
import { isMessage, type StartMessage, type StopMessage, type WorkerStatus } from './messages';
import { answerCall, isCall } from './rpc';
import { serviceHandlers } from './shared-services';

export interface CrowdgateCluster {
  /** Base URL every worker serves, e.g. `http://127.0.0.1:8095`. */
  readonly url: string;
  readonly engine: SyncEngine;
  /** The one-time setup token of a first start, to print; else undefined. */
  readonly setupToken: string | undefined;
  /** Process ids of the serving workers now. */
  workerPids(): number[];
  stop(): Promise<void>;
}

/** A worker that dies is replaced after this long (not at once: a crash at start would spin). */
const RESTART_DELAY_MS = 1_000;
/** A worker that has not exited this long after being told to stop is killed. */
const STOP_TIMEOUT_MS = 10_000;

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
  const handlers = serviceHandlers(
    localControl(running.engine, (name) => running.supervisor.health(name)),
    localSessions(new SessionStore()),
  );
  const start: StartMessage = {
    type: 'start',
    config,
    ...(source.fileLabel ? { fileLabel: source.fileLabel } : {}),
  };
  cluster.setupPrimary({ exec: join(__dirname, 'worker-main.js'), args: [], serialization: 'advanced' });

  const workers = new Set<Worker>();
  let stopping = false;
  const fork = (): Promise<string> => {
    const worker = cluster.fork();
    workers.add(worker);
    // A message sent to a worker that is exiting fails with ERR_IPC_CHANNEL_CLOSED, emitted as
    // 'error' on the worker: without a listener that would end the primary. Its 'exit' follows.
    worker.on('error', (error) =>
      logger.warn('serving worker channel error', { pid: worker.process.pid, error: String(error) }),
    );
    worker.on('message', (message: unknown) => {
      if (isCall(message)) void answerCall(message, handlers, (result) => worker.isConnected() && worker.send(result));
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
        if (stopping) return;
        logger.error('serving worker exited; starting another', { pid: worker.process.pid, code, signal });
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
    await Promise.all([...workers].map((worker) => stopWorker(worker)));
  };
  try {
    const urls = await Promise.all(Array.from({ length: config.server.workers }, fork));
    return {
      url: urls[0]!,
      engine: running.engine,
      setupToken: running.setupToken,
      workerPids: () => [...workers].map((w) => w.process.pid).filter((pid): pid is number => pid !== undefined),
      stop: async () => {
        await stopWorkers();
        await running.close();
      },
    };
  } catch (error) {
    await stopWorkers();
    await running.close();
    throw error;
  }
}

function stopWorker(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    if (worker.isDead()) return resolve();
    const kill = setTimeout(() => worker.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
    worker.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    const stop: StopMessage = { type: 'stop' };
    if (worker.isConnected()) worker.send(stop);
    else worker.process.kill('SIGTERM');
  });
}
