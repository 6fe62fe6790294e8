import type { Client } from 'pg';
import { describeError, type Logger } from '../logging/logger';
import { dedicatedClient, pause } from '../store/postgres/dedicated-connection';

/**
 * The advisory-lock key of the leader: one crowdgate deployment per database (a 64-bit key,
 * "crowdgate" read as ASCII digits would do as well as any; it only has to be fixed).
 */
export const LEADER_LOCK_KEY = 0x63_67_6c_65_61_64; // 'cglead'

export interface LeadershipOptions {
  /** How often a follower tries to take the lock (failover ≤ this + the leader's start). Default 1 s. */
  readonly tryEveryMs?: number;
  /** How often the leader checks its connection (a lost one ends leadership within this + the timeout). Default 2 s. */
  readonly checkEveryMs?: number;
  /** A check that does not answer in this long counts as a lost connection. Default 5 s. */
  readonly checkTimeoutMs?: number;
}

/**
 * Which node runs the sync schedule: the one holding a PostgreSQL session-level advisory lock
 * (`pg_try_advisory_lock`), on a connection of its own. The lock lives exactly as long as that
 * connection: when the leader dies (even `kill -9`, the kernel closes its socket) PostgreSQL ends
 * the session and frees the lock, and the next follower to try takes it. A leader that loses its
 * connection (or whose check does not answer) stops leading at once, before anyone else can have
 * the lock, so two nodes never lead at the same time by this node's reckoning. Changes are
 * reported to `onChange`, one at a time, in order.
 */
export class Leadership {
  private current = false;
  private readonly stopping = new AbortController();
  private client: Client | undefined;
  private loop: Promise<void> | undefined;
  private changes: Promise<void> = Promise.resolve();
  private readonly tryEveryMs: number;
  private readonly checkEveryMs: number;
  private readonly checkTimeoutMs: number;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly onChange: (leading: boolean) => Promise<void> | void,
    options: LeadershipOptions = {},
  ) {
    this.tryEveryMs = options.tryEveryMs ?? 1_000;
    this.checkEveryMs = options.checkEveryMs ?? 2_000;
    this.checkTimeoutMs = options.checkTimeoutMs ?? 5_000;
  }

  get leading(): boolean {
    return this.current;
  }

  /** Starts trying (in the background). Resolves after the first attempt, so a lone node leads once this resolves. */
  start(): Promise<void> {
    let first: () => void = () => undefined;
    const firstAttempt = new Promise<void>((resolve) => (first = resolve));
    this.loop ??= this.run(() => first());
    return firstAttempt;
  }

  /** Gives the lock up (closing its connection) and waits for the last change to be handled. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.client?.end().catch(() => undefined);
    await this.loop;
    await this.changes;
  }

  private async run(attempted: () => void): Promise<void> {
    const signal = this.stopping.signal;
    let reported = false;
    while (!signal.aborted) {
      const client = dedicatedClient(this.url, 'leadership', { query_timeout: this.checkTimeoutMs });
      this.client = client;
      let lost = false;
      client.on('error', () => (lost = true));
      client.on('end', () => (lost = true));
      try {
        await client.connect();
        reported = false;
        while (!signal.aborted && !lost) {
          if (!this.current) {
            const answer = await client.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [
              LEADER_LOCK_KEY,
            ]);
            if (answer.rows[0]?.got) this.set(true);
            attempted();
          } else {
            await client.query('SELECT 1');
          }
          await pause(this.current ? this.checkEveryMs : this.tryEveryMs, signal);
        }
      } catch (error) {
        if (!signal.aborted && !reported) {
          this.logger.warn('leadership connection to PostgreSQL failed', describeError(error));
          reported = true;
        }
        attempted();
      }
      // The lock went with the connection (or will, once PostgreSQL notices): stop leading first.
      if (this.current) {
        if (!signal.aborted) this.logger.warn('lost the leadership connection to PostgreSQL: this node stops leading');
        this.set(false);
      }
      await client.end().catch(() => undefined);
      if (!signal.aborted) await pause(this.tryEveryMs, signal);
    }
  }

  private set(leading: boolean): void {
    this.current = leading;
    this.changes = this.changes.then(async () => {
      try {
        await this.onChange(leading);
      } catch (error) {
        this.logger.error('leadership change failed', { leading, ...describeError(error) });
      }
    });
  }
}
