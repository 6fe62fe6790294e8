import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { describeError, type Logger } from '../logging/logger';
import { LoginLimits, type FailureRecord, type LoginLimitsOptions } from '../security/login-limits';
import type { StoreLocation } from '../store/open';
import { PostgresStore } from '../store/postgres/postgres-store';
import type { Store } from '../store/store';
import type { Notifications } from '../store/postgres/notifications';
import { listeningOf } from './node-coordination';

type Kind = 'application' | 'user';

/** What travels in a `crowdgate_logins` notification. */
interface Shared extends FailureRecord {
  readonly kind: Kind;
  readonly key: string;
  readonly node: string;
}

/** Longer than any limit remembers a failure (user delays forget after 15 minutes, the application window is a minute). */
const KEEP_MS = 60 * 60_000;
/** PostgreSQL refuses notification payloads of 8,000 bytes or more; larger keys are shared through the table only. */
const MAX_PAYLOAD = 7_900;

export interface SharedLoginLimits {
  readonly limits: LoginLimits;
  close(): Promise<void>;
}

/**
 * The Crowd facade's failed-login limits (src/security/login-limits.ts), shared by every process
 * on one PostgreSQL store: each failure (and each success that clears a key) a process counts is
 * written to `login_failures` and announced on `crowdgate_logins`; the others take it over
 * (`absorb`), and a process that starts or reconnects reads the recent records. So an attacker
 * does not get a fresh budget by switching nodes. The login path never waits for PostgreSQL: the
 * write is sent in the background (an outage is logged, the limits keep working locally).
 * Assumptions: two failures of one key counted at the same moment on two nodes may count once
 * (the newer record wins); checks in flight and familiar sources stay per process.
 */
export function sharedLoginLimits(
  pool: Pool,
  notifications: Notifications,
  logger: Logger,
  options: LoginLimitsOptions = {},
): SharedLoginLimits {
  const node = randomUUID();
  const now = options.now ?? Date.now;
  const publish = (kind: Kind) => (key: string, record: FailureRecord) => {
    const shared: Shared = { kind, key, node, ...record };
    const payload = JSON.stringify(shared);
    pool
      .query(
        `WITH saved AS (
           INSERT INTO login_failures (key, failures, at, not_before) VALUES ($1, $2, $3, $4)
           ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, at = excluded.at, not_before = excluded.not_before
             WHERE login_failures.at <= excluded.at
           RETURNING 1)
         SELECT pg_notify('crowdgate_logins', $5) FROM saved`,
        [`${kind}:${key}`, record.failures, record.at, record.notBefore, payload.length < MAX_PAYLOAD ? payload : ''],
      )
      .catch((error: unknown) => logger.warn('could not share a failed-login count', describeError(error)));
  };
  const limits = LoginLimits.shared(options, { application: publish('application'), user: publish('user') });
  const absorb = (shared: Omit<Shared, 'node'>) => {
    const record = { failures: shared.failures, at: shared.at, notBefore: shared.notBefore };
    if (shared.kind === 'application') limits.application.absorb(shared.key, record);
    else limits.user.absorb(shared.key, record);
  };
  /** Takes over the recent records: at start and after a reconnection (notifications may have been lost). */
  const resync = () => {
    pool
      .query<{ key: string; failures: number; at: number; not_before: number }>(
        'SELECT key, failures, at, not_before FROM login_failures WHERE at > $1',
        [now() - KEEP_MS],
      )
      .then((answer) => {
        for (const row of answer.rows) {
          const colon = row.key.indexOf(':');
          absorb({
            kind: row.key.slice(0, colon) as Kind,
            key: row.key.slice(colon + 1),
            failures: row.failures,
            at: row.at,
            notBefore: row.not_before,
          });
        }
      })
      .catch((error: unknown) => logger.warn('could not read the shared failed-login counts', describeError(error)));
  };
  const unsubscribe = [
    notifications.on('crowdgate_logins', (payload) => {
      if (payload === '') return;
      const shared = JSON.parse(payload) as Shared;
      if (shared.node !== node) absorb(shared);
    }),
    notifications.onResync(() => resync()),
  ];
  const prune = setInterval(
    () =>
      void pool
        .query('DELETE FROM login_failures WHERE at <= $1', [now() - KEEP_MS])
        .catch((error: unknown) => logger.warn('could not prune the shared failed-login counts', describeError(error))),
    KEEP_MS,
  );
  prune.unref();
  // Already listening: take over what the others counted before this process started.
  if (notifications.listening) resync();
  return {
    limits,
    close: async () => {
      clearInterval(prune);
      for (const stop of unsubscribe) stop();
    },
  };
}

/** The shared limits when `store` is the configured PostgreSQL store; undefined for SQLite (each process counts alone). */
export async function sharedLoginLimitsOf(
  location: StoreLocation,
  store: Store,
  logger: Logger,
): Promise<SharedLoginLimits | undefined> {
  if (location.store?.kind !== 'postgres' || !(store instanceof PostgresStore)) return undefined;
  return sharedLoginLimits(store.pool, listeningOf(store), logger);
}
