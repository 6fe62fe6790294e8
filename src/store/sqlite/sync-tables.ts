import type { Database } from 'better-sqlite3';
import { MAX_EVENTS_PER_CHANGE, type CrowdEvent, type EventBatch, type LoggedEvent } from '../../domain/events';
import type { EventsSince, NewSyncRun, OperationalSummary, SyncRun, SyncRunUpdate } from '../sync-records';

/**
 * The sync engine's tables in SQLite: cursors, run records and the Crowd event log. Functions
 * take the connection; `appendEvents` and `setCursor` are called inside `apply`'s transaction.
 */

/** Events kept in the log; a token older than the window is expired (clients then sync fully). */
const EVENT_RETENTION = 100_000;

export function getCursor(db: Database, directoryId: number): string | null {
  return (
    (db.prepare('SELECT cursor FROM sync_cursors WHERE directory_id = ?').pluck().get(directoryId) as
      string | undefined) ?? null
  );
}

export function setCursor(db: Database, directoryId: number, cursor: string | null): void {
  if (cursor === null) db.prepare('DELETE FROM sync_cursors WHERE directory_id = ?').run(directoryId);
  else
    db.prepare(
      'INSERT INTO sync_cursors (directory_id, cursor) VALUES (?, ?) ON CONFLICT (directory_id) DO UPDATE SET cursor = excluded.cursor',
    ).run(directoryId, cursor);
}

function meta(db: Database, key: string): string {
  return db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string;
}

function latestSeq(db: Database): number {
  return (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck().get() as number | undefined) ?? 0;
}

/** `<instance>.<seq>`: opaque, URL-safe, monotonic, scoped to this store. */
export function currentEventToken(db: Database): string {
  return `${meta(db, 'instance')}.${latestSeq(db)}`;
}

/**
 * Appends events (or a reset, also past MAX_EVENTS_PER_CHANGE, so older tokens expire) and
 * prunes the log to EVENT_RETENTION entries.
 */
export function appendEvents(db: Database, directoryId: number, events: EventBatch, now: number): void {
  if (events.length === 0) return;
  if (events === 'reset' || events.length > MAX_EVENTS_PER_CHANGE) {
    db.prepare('INSERT INTO events (directory_id, created_at, payload) VALUES (?, ?, \'{"type":"reset"}\')').run(
      directoryId,
      now,
    );
    db.prepare("UPDATE meta SET value = ? WHERE key = 'event_reset_seq'").run(String(latestSeq(db)));
  } else {
    const insert = db.prepare('INSERT INTO events (directory_id, created_at, payload) VALUES (?, ?, ?)');
    for (const event of events) insert.run(directoryId, now, JSON.stringify(event));
  }
  db.prepare('DELETE FROM events WHERE seq <= ?').run(latestSeq(db) - EVENT_RETENTION);
}

export function eventsSince(db: Database, token: string, directoryIds: readonly number[]): EventsSince {
  const match = /^([0-9a-f]{16})\.(\d{1,15})$/.exec(token);
  if (!match || match[1] !== meta(db, 'instance')) return { kind: 'expired' };
  const seq = Number(match[2]);
  const latest = latestSeq(db);
  const oldestKept = (db.prepare('SELECT min(seq) FROM events').pluck().get() as number | null) ?? latest + 1;
  if (seq > latest || seq < Number(meta(db, 'event_reset_seq')) || seq < oldestKept - 1) return { kind: 'expired' };
  const rows = db
    .prepare(
      'SELECT seq, directory_id, payload FROM events WHERE seq > ? AND directory_id IN (SELECT value FROM json_each(?)) ORDER BY seq',
    )
    .raw()
    .all(seq, JSON.stringify(directoryIds)) as Array<[number, number, string]>;
  const events: LoggedEvent[] = rows.map(([s, directoryId, payload]) => ({
    seq: s,
    directoryId,
    event: JSON.parse(payload) as CrowdEvent,
  }));
  return { kind: 'events', events, token: `${match[1]}.${latest}` };
}

interface RunRow {
  id: number;
  directory_id: number;
  mode: SyncRun['mode'];
  trigger: SyncRun['trigger'];
  status: SyncRun['status'];
  started_at: number;
  finished_at: number | null;
  counts: string;
  error: string | null;
  report: string;
}

function toRun(row: RunRow): SyncRun {
  return {
    id: row.id,
    directoryId: row.directory_id,
    mode: row.mode,
    trigger: row.trigger,
    status: row.status,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at),
    counts: JSON.parse(row.counts) as Record<string, number>,
    error: row.error,
    report: JSON.parse(row.report) as unknown,
  };
}

export function createRun(db: Database, run: NewSyncRun, now: number): SyncRun {
  const info = db
    .prepare("INSERT INTO sync_runs (directory_id, mode, trigger, status, started_at) VALUES (?, ?, ?, 'running', ?)")
    .run(run.directoryId, run.mode, run.trigger, now);
  return getRun(db, Number(info.lastInsertRowid))!;
}

export function updateRun(db: Database, id: number, update: SyncRunUpdate): SyncRun {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => {
    sets.push(`${column} = ?`);
    params.push(value);
  };
  if (update.mode !== undefined) set('mode', update.mode);
  if (update.status !== undefined) set('status', update.status);
  if (update.finishedAt !== undefined)
    set('finished_at', update.finishedAt === null ? null : update.finishedAt.getTime());
  if (update.counts !== undefined) set('counts', JSON.stringify(update.counts));
  if (update.error !== undefined) set('error', update.error);
  if (update.report !== undefined) set('report', JSON.stringify(update.report));
  if (sets.length > 0) db.prepare(`UPDATE sync_runs SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
  return getRun(db, id)!;
}

function getRun(db: Database, id: number): SyncRun | undefined {
  const row = db.prepare('SELECT * FROM sync_runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? toRun(row) : undefined;
}

export function listRuns(db: Database, directoryId: number | undefined, limit: number): SyncRun[] {
  const rows = (
    directoryId === undefined
      ? db.prepare('SELECT * FROM sync_runs ORDER BY id DESC LIMIT ?').all(limit)
      : db.prepare('SELECT * FROM sync_runs WHERE directory_id = ? ORDER BY id DESC LIMIT ?').all(directoryId, limit)
  ) as RunRow[];
  return rows.map(toRun);
}

/** One statement per part; the run lookups use the (directory_id, id) index. */
export function operationalSummary(db: Database): OperationalSummary {
  const rows = db
    .prepare(
      `SELECT d.id AS directoryId,
              (SELECT max(finished_at) FROM sync_runs r WHERE r.directory_id = d.id AND r.status = 'succeeded') AS lastSuccessAt,
              (SELECT status FROM sync_runs r WHERE r.directory_id = d.id ORDER BY r.id DESC LIMIT 1) AS latestStatus
         FROM directories d ORDER BY d.id`,
    )
    .all() as { directoryId: number; lastSuccessAt: number | null; latestStatus: SyncRun['status'] | null }[];
  return {
    directories: rows.map((row) => ({
      directoryId: row.directoryId,
      lastSuccessAt: row.lastSuccessAt === null ? null : new Date(row.lastSuccessAt),
      latestStatus: row.latestStatus,
    })),
    eventLogLength: db.prepare('SELECT count(*) FROM events').pluck().get() as number,
  };
}
