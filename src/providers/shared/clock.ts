/**
 * The one notion of time every connector's pacing and retrying uses, so tests can drive a pacer
 * on a fake clock: `now()` in epoch ms, `sleep(ms)` resolving after at least `ms`.
 */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export const systemClock: Clock = { now: () => Date.now(), sleep };
