import type { Pool } from 'pg';
import { deserialize, serialize } from 'node:v8';
import { DirectoryError, isDirectoryError, isErrorCode } from '../domain/errors';
import { describeError, type Logger } from '../logging/logger';
import type { Notifications } from '../store/postgres/notifications';

/** A request's method and arguments; the answer is whatever the leader's handler resolves to. */
export type LeaderHandler = (...args: never[]) => Promise<unknown>;

interface Answer {
  readonly value?: unknown;
  readonly error?: { readonly code: string; readonly message: string };
}

/** A request nobody has taken after this long: no node leads (PostgreSQL reachable, leader not). */
const PICKUP_TIMEOUT_MS = 15_000;
/** Requests are also looked for this often, in case a notification was lost. */
const POLL_MS = 1_000;

/**
 * Requests a node hands to the leader through PostgreSQL (table `node_requests`): "sync now",
 * approvals, drops and progress asked on any node are carried out by the node that runs the sync
 * engine. The asking node inserts the request and `NOTIFY crowdgate_requests`; the leader claims
 * it (`FOR UPDATE SKIP LOCKED`: exactly one claim), runs it, writes the answer and
 * `NOTIFY crowdgate_replies`; the asking node reads the answer and deletes the row. A request no
 * leader takes within PICKUP_TIMEOUT_MS fails with PROVIDER_UNAVAILABLE and is withdrawn; one
 * whose leader died is failed by the next leader (`failOrphans`).
 */
export class LeaderRequests {
  private readonly waiting = new Map<number, () => void>();
  private serving: Readonly<Record<string, LeaderHandler>> | undefined;
  private claiming: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly pool: Pool,
    notifications: Notifications,
    private readonly logger: Logger,
  ) {
    this.unsubscribe.push(
      notifications.on('crowdgate_replies', (payload) => this.waiting.get(Number(payload))?.()),
      notifications.on('crowdgate_requests', () => this.claim()),
      notifications.onResync(() => {
        for (const wake of this.waiting.values()) wake();
        this.claim();
      }),
    );
  }

  /** Asks the leader to run `method` with `args`; resolves with its answer, or rejects with its error. */
  async ask<T>(method: string, args: readonly unknown[]): Promise<T> {
    const inserted = await this.pool.query<{ id: string }>(
      `WITH request AS (
         INSERT INTO node_requests (method, arguments, requested_at) VALUES ($1, $2, $3) RETURNING id)
       SELECT id, pg_notify('crowdgate_requests', id::text) FROM request`,
      [method, serialize(args), Date.now()],
    );
    const id = Number(inserted.rows[0]!.id);
    const askedAt = Date.now();
    try {
      for (;;) {
        const row = await this.pool.query<{ state: string; answer: Buffer | null }>(
          'SELECT state, answer FROM node_requests WHERE id = $1',
          [id],
        );
        const state = row.rows[0]?.state;
        if (state === 'done') return settle<T>(deserialize(row.rows[0]!.answer!) as Answer);
        if (state === undefined) throw new DirectoryError('INTERNAL', `request ${id} to the leader disappeared`);
        if (state === 'pending' && Date.now() - askedAt > PICKUP_TIMEOUT_MS) {
          const withdrawn = await this.pool.query("DELETE FROM node_requests WHERE id = $1 AND state = 'pending'", [
            id,
          ]);
          if (withdrawn.rowCount === 1)
            throw new DirectoryError(
              'PROVIDER_UNAVAILABLE',
              'No crowdgate node leads the sync engine right now (none took the request within 15 s); try again shortly',
            );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          this.waiting.set(id, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    } finally {
      this.waiting.delete(id);
      await this.pool.query('DELETE FROM node_requests WHERE id = $1', [id]).catch(() => undefined);
    }
  }

  /**
   * This node leads: it runs requests with `handlers` (by method name) until `stopServing`. First
   * fails the requests a previous leader claimed and never answered.
   */
  async serve(handlers: Readonly<Record<string, LeaderHandler>>): Promise<void> {
    await this.failOrphans();
    this.serving = handlers;
    this.timer = setInterval(() => this.claim(), POLL_MS);
    this.timer.unref();
    this.claim();
  }

  stopServing(): void {
    this.serving = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stopServing();
    for (const stop of this.unsubscribe) stop();
    for (const wake of this.waiting.values()) wake();
  }

  private async failOrphans(): Promise<void> {
    const answer = serialize({
      error: { code: 'PROVIDER_UNAVAILABLE', message: 'The crowdgate node that was running this request stopped' },
    } satisfies Answer);
    await this.pool.query(
      `WITH failed AS (
         UPDATE node_requests SET state = 'done', answer = $1, answered_at = $2 WHERE state = 'running' RETURNING id)
       SELECT pg_notify('crowdgate_replies', id::text) FROM failed`,
      [answer, Date.now()],
    );
  }

  /** Claims and starts every pending request (one claim loop at a time). */
  private claim(): void {
    if (!this.serving || this.claiming) return;
    this.claiming = this.claimAll()
      .catch((error: unknown) => this.logger.warn('could not take requests for the leader', describeError(error)))
      .finally(() => (this.claiming = undefined));
  }

  private async claimAll(): Promise<void> {
    while (this.serving) {
      const claimed = await this.pool.query<{ id: string; method: string; arguments: Buffer }>(
        `UPDATE node_requests SET state = 'running'
          WHERE id = (SELECT id FROM node_requests WHERE state = 'pending' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
          RETURNING id, method, arguments`,
      );
      const request = claimed.rows[0];
      if (!request) return;
      void this.run(Number(request.id), request.method, deserialize(request.arguments) as unknown[]);
    }
  }

  private async run(id: number, method: string, args: unknown[]): Promise<void> {
    let answer: Answer;
    try {
      const handler = this.serving?.[method];
      if (!handler) throw new DirectoryError('INTERNAL', `the leader does not answer "${method}"`);
      answer = { value: await (handler as (...a: unknown[]) => Promise<unknown>)(...args) };
    } catch (error) {
      answer = {
        error: {
          code: isDirectoryError(error) ? error.code : 'INTERNAL',
          message: error instanceof Error ? error.message : String(error),
        },
      };
    }
    try {
      await this.pool.query(`UPDATE node_requests SET state = 'done', answer = $2, answered_at = $3 WHERE id = $1`, [
        id,
        serialize(answer),
        Date.now(),
      ]);
      await this.pool.query("SELECT pg_notify('crowdgate_replies', $1)", [String(id)]);
    } catch (error) {
      this.logger.warn('could not answer a request for the leader', { id, method, ...describeError(error) });
    }
  }
}

function settle<T>(answer: Answer): T {
  if (answer.error)
    throw new DirectoryError(isErrorCode(answer.error.code) ? answer.error.code : 'INTERNAL', answer.error.message);
  return answer.value as T;
}
