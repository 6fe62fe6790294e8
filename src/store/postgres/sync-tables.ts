import type { ClientBase } from 'pg';
import { MAX_EVENTS_PER_CHANGE, type CrowdEvent, type EventBatch, type LoggedEvent } from '../../domain/events';
import type { EventsSince, NewSyncRun, OperationalSummary, SyncRun, SyncRunUpdate } from '../sync-records';
import { EVENT_LOG_LOCK } from './locks';
import { diagnosticText } from './nul-text';
import { execute, firstValue, rowsOf, type Queryable } from './sql';

/**
 * The sync engine's tables in PostgreSQL: cursors, run records and the Crowd event log, with the
 * SQLite backend's behaviour (src/store/sqlite/sync-tables.ts). `appendEvents` and `setCursor` run
 * inside `apply`'s transaction.
 */

/** Events kept in the log; a token older than the window is expired (clients then sync fully). */
const EVENT_RETENTION = 100_000;

export async function getCursor(db: Queryable, directoryId: number): Promise<string | null> {
  return (
    (await firstValue<string>(db, {
      name: 'cg_cursor',
      text: 'SELECT cursor FROM sync_cursors WHERE directory_id = $1',
      values: [directoryId],
    })) ?? null
  );
}

export async function setCursor(db: ClientBase, directoryId: number, cursor: string | null): Promise<void> {
  if (cursor === null)
    await execute(db, { text: 'DELETE FROM sync_cursors WHERE directory_id = $1', values: [directoryId] });
  else
    await execute(db, {
      text: 'INSERT INTO sync_cursors (directory_id, cursor) VALUES ($1, $2) ON CONFLICT (directory_id) DO UPDATE SET cursor = excluded.cursor',
      values: [directoryId, cursor],
    });
}

/**
 * `<instance>.<seq>`: opaque, URL-safe, monotonic, scoped to this store. The latest sequence
 * number is the largest logged (retention never removes the newest), not the identity sequence's
 * value, which moves before commit and also for rolled-back transactions.
 */
export async function currentEventToken(db: Queryable): Promise<string> {
  const [row] = await rowsOf<[string, number]>(db, {
    name: 'cg_event_token',
    text: "SELECT (SELECT value FROM meta WHERE key = 'instance'), (SELECT coalesce(max(seq), 0) FROM events)",
  });
  return `${row![0]}.${row![1]}`;
}

/**
 * Appends events (or a reset, also past MAX_EVENTS_PER_CHANGE, so older tokens expire) and
 * prunes the log to EVENT_RETENTION entries. Must run inside the caller's transaction.
 *
 * Sequence numbers are taken under the transaction lock EVENT_LOG_LOCK, held until commit, so
 * appends are serialized and commit in sequence order. Without it, a transaction could take seq 7,
 * another seq 8 and commit first; a reader would then hand out token 8 and never see event 7.
 * (An advisory lock rather than LOCK TABLE events: readers of the log are never blocked.)
 */
export async function appendEvents(
  client: ClientBase,
  directoryId: number,
  events: EventBatch,
  now: number,
): Promise<void> {
  if (events.length === 0) return;
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [EVENT_LOG_LOCK]);
  let latest: number;
  if (events === 'reset' || events.length > MAX_EVENTS_PER_CHANGE) {
    latest = (await firstValue<number>(client, {
      text: 'INSERT INTO events (directory_id, created_at, payload) VALUES ($1, $2, \'{"type":"reset"}\') RETURNING seq',
      values: [directoryId, now],
    }))!;
    await execute(client, {
      text: "UPDATE meta SET value = $1 WHERE key = 'event_reset_seq'",
      values: [String(latest)],
    });
  } else {
    latest = (await firstValue<number>(client, {
      text: `WITH added AS (
               INSERT INTO events (directory_id, created_at, payload)
               SELECT $1, $2, t.payload FROM unnest($3::text[]) WITH ORDINALITY AS t(payload, n) ORDER BY t.n
               RETURNING seq)
             SELECT max(seq) FROM added`,
      values: [directoryId, now, events.map((event) => JSON.stringify(event))],
    }))!;
  }
  await execute(client, { text: 'DELETE FROM events WHERE seq <= $1', values: [latest - EVENT_RETENTION] });
}

/**
 * The events after `token` of the given directories. One statement, so the checks and the events
 * read one state of the log (a prune between them could otherwise drop unseen events).
 */
export async function eventsSince(db: Queryable, token: string, directoryIds: readonly number[]): Promise<EventsSince> {
  const match = /^([0-9a-f]{16})\.(\d{1,15})$/.exec(token);
  if (!match) return { kind: 'expired' };
  const seq = Number(match[2]);
  const rows = await rowsOf<[string, number, number | null, number | null, number | null, string | null]>(db, {
    name: 'cg_events_since',
    text: `WITH head AS (
             SELECT (SELECT value FROM meta WHERE key = 'instance') AS instance,
                    (SELECT value::bigint FROM meta WHERE key = 'event_reset_seq') AS reset_seq,
                    (SELECT coalesce(max(seq), 0) FROM events) AS latest,
                    (SELECT min(seq) FROM events) AS oldest)
           SELECT h.instance, h.latest,
                  CASE WHEN $1 > h.latest OR $1 < h.reset_seq OR $1 < coalesce(h.oldest, h.latest + 1) - 1
                       THEN 1 ELSE 0 END,
                  e.seq, e.directory_id, e.payload
           FROM head h LEFT JOIN LATERAL (
             SELECT seq, directory_id, payload FROM events
             WHERE seq > $1 AND seq <= h.latest AND directory_id = ANY($2::integer[])
           ) e ON h.instance = $3 AND $1 <= h.latest AND $1 >= h.reset_seq AND $1 >= coalesce(h.oldest, h.latest + 1) - 1
           ORDER BY e.seq`,
    values: [seq, directoryIds, match[1]],
  });
  const [instance, latest, expired] = rows[0]!;
  if (instance !== match[1] || expired === 1) return { kind: 'expired' };
  const events: LoggedEvent[] = [];
  for (const [, , , s, directoryId, payload] of rows)
    if (s !== null) events.push({ seq: s, directoryId: directoryId!, event: JSON.parse(payload!) as CrowdEvent });
  return { kind: 'events', events, token: `${instance}.${latest}` };
}

type RunRow = [
  number,
  number,
  SyncRun['mode'],
  SyncRun['trigger'],
  SyncRun['status'],
  number,
  number | null,
  string,
  string | null,
  string,
];
const RUN_COLUMNS = 'id, directory_id, mode, trigger, status, started_at, finished_at, counts, error, report';

function toRun([id, directoryId, mode, trigger, status, started, finished, counts, error, report]: RunRow): SyncRun {
  return {
    id,
    directoryId,
    mode,
    trigger,
    status,
    startedAt: new Date(started),
    finishedAt: finished === null ? null : new Date(finished),
    counts: JSON.parse(counts) as Record<string, number>,
    error,
    report: JSON.parse(report) as unknown,
  };
}

export async function createRun(db: Queryable, run: NewSyncRun, now: number): Promise<SyncRun> {
  const [row] = await rowsOf<RunRow>(db, {
    text: `INSERT INTO sync_runs (directory_id, mode, trigger, status, started_at) VALUES ($1, $2, $3, 'running', $4)
           RETURNING ${RUN_COLUMNS}`,
    values: [run.directoryId, run.mode, run.trigger, now],
  });
  return toRun(row!);
}

/** Like the SQLite backend, answers `undefined` (typed away) for an unknown id. */
export async function updateRun(db: Queryable, id: number, update: SyncRunUpdate): Promise<SyncRun> {
  const sets: string[] = [];
  const values: unknown[] = [id];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (update.mode !== undefined) set('mode', update.mode);
  if (update.status !== undefined) set('status', update.status);
  if (update.finishedAt !== undefined)
    set('finished_at', update.finishedAt === null ? null : update.finishedAt.getTime());
  if (update.counts !== undefined) set('counts', JSON.stringify(update.counts));
  if (update.error !== undefined) set('error', diagnosticText(update.error));
  if (update.report !== undefined) set('report', JSON.stringify(update.report));
  const [row] = await rowsOf<RunRow>(
    db,
    sets.length > 0
      ? { text: `UPDATE sync_runs SET ${sets.join(', ')} WHERE id = $1 RETURNING ${RUN_COLUMNS}`, values }
      : { text: `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE id = $1`, values },
  );
  return (row ? toRun(row) : undefined)!;
}

export async function listRuns(db: Queryable, directoryId: number | undefined, limit: number): Promise<SyncRun[]> {
  const rows = await rowsOf<RunRow>(
    db,
    directoryId === undefined
      ? { text: `SELECT ${RUN_COLUMNS} FROM sync_runs ORDER BY id DESC LIMIT $1`, values: [limit] }
      : {
          text: `SELECT ${RUN_COLUMNS} FROM sync_runs WHERE directory_id = $1 ORDER BY id DESC LIMIT $2`,
          values: [directoryId, limit],
        },
  );
  return rows.map(toRun);
}

/** One statement; the run lookups use the (directory_id, id) index. */
export async function operationalSummary(db: Queryable): Promise<OperationalSummary> {
  const rows = await rowsOf<[number, number | null, SyncRun['status'] | null, number]>(db, {
    name: 'cg_operational_summary',
    text: `SELECT d.id,
                  (SELECT max(finished_at) FROM sync_runs r WHERE r.directory_id = d.id AND r.status = 'succeeded'),
                  (SELECT status FROM sync_runs r WHERE r.directory_id = d.id ORDER BY r.id DESC LIMIT 1),
                  (SELECT count(*) FROM events)
           FROM directories d ORDER BY d.id`,
  });
  const eventLogLength =
    rows.length > 0 ? rows[0]![3] : ((await firstValue<number>(db, { text: 'SELECT count(*) FROM events' })) ?? 0);
  return {
    directories: rows.map(([directoryId, lastSuccessAt, latestStatus]) => ({
      directoryId,
      lastSuccessAt: lastSuccessAt === null ? null : new Date(lastSuccessAt),
      latestStatus,
    })),
    eventLogLength,
  };
}
