/**
 * The advisory locks of the PostgreSQL store. Keys are fixed, so every node sharing a database
 * takes the same ones; each 64-bit key is eight ASCII characters read as a big-endian integer, so
 * it can be recognised in `pg_locks` (classid = high 32 bits, objid = low 32 bits).
 *
 * Lock order, to keep deadlocks out: the configuration lock, then a directory's apply lock (a
 * configuration change takes it to drop the directory), then row locks (directories), and the
 * event-log lock last, held to commit. Nothing waits for another lock while holding the event-log
 * lock. Session and transaction locks are released by the server when the connection ends.
 */

/** 'cg:migra': the whole migration run at open (session lock, one connection). */
export const MIGRATION_LOCK = '7162757973950296673';

/**
 * 'cg:event': appends to the event log (transaction lock). Held from the first `nextval` of a
 * transaction until its commit, so event sequence numbers become visible in commit order.
 */
export const EVENT_LOG_LOCK = '7162757939808530036';

/** 'cg:confg': configuration changes, directory rows and administrator tokens (transaction lock). */
export const CONFIG_LOCK = '7162757931101742695';

/**
 * 'cgap' (as a signed 32-bit integer): the class of the per-directory apply lock,
 * `pg_advisory_xact_lock(APPLY_LOCK_CLASS, directoryId)`. Two-key locks never collide with the
 * 64-bit keys above (PostgreSQL keeps the two forms apart).
 */
export const APPLY_LOCK_CLASS = 1667719536;
