/** A check reserved against a failed-login limit (login-limits.ts), and what the limits count. */

/** One check reserved against a limit. Settle it once; later calls do nothing. */
export interface Reservation {
  /** The credential was right. */
  succeed(): void;
  /** The credential was wrong: counts against the budget. */
  fail(): void;
  /** Neither (unknown user, provider down, …): gives the slot back, counts nothing. */
  release(): void;
}

/** Counts since start, except `blocked`, which is the state now. */
export interface LimitCounters {
  /** Checks the limit let through (a password verification, or a question to the identity provider). */
  readonly checked: number;
  /** Attempts answered without a check because the limit refused them. */
  readonly refused: number;
  /** Checks that found the credential wrong. */
  readonly failed: number;
  /** Checks that found the credential right. */
  readonly succeeded: number;
  /** Keys refused at this moment: addresses over budget, or username + source keys inside a delay. */
  readonly blocked: number;
}

/** A Reservation whose first settlement runs `settle`; any later one is ignored. */
export function reservation(settle: (outcome: 'succeed' | 'fail' | 'release') => void): Reservation {
  let open = true;
  const once = (outcome: 'succeed' | 'fail' | 'release') => () => {
    if (!open) return;
    open = false;
    settle(outcome);
  };
  return { succeed: once('succeed'), fail: once('fail'), release: once('release') };
}

/**
 * One key's failures as a limit records them, so that other processes can take them over
 * (src/nodes/shared-login-limits.ts: every crowdgate node on one PostgreSQL store counts the same
 * failures). Checks in flight are not part of it: they stay with the process that runs them.
 */
export interface FailureRecord {
  readonly failures: number;
  /** The application limit: when the window started. User delays: the last failure (or the success that reset it). */
  readonly at: number;
  /** User delays: no check before this time; 0 for the application limit. */
  readonly notBefore: number;
}

/** Told of every change of a key's failures (a failure counted, a success that cleared them). */
export type FailureSink = (key: string, record: FailureRecord) => void;
