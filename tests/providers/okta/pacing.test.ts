import { RatePacer, type RateHeaders } from '../../../src/providers/okta/pacing';
import type { Clock } from '../../../src/providers/shared/clock';

/** The pacer on a fake clock: share of each window, waits for Reset, 429 closes the bucket. */
class FakeClock implements Clock {
  t = 1_000_000;
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.t += ms;
    await Promise.resolve();
  }
}

const headers = (clock: FakeClock, limit: number, remaining: number, resetMs: number): RateHeaders => ({
  limit,
  remaining,
  reset: resetMs / 1000,
  date: Math.floor(clock.t / 1000) * 1000,
});

test('at most share × limit calls per window; the next window is entered after its Reset', async () => {
  const clock = new FakeClock();
  const pacer = new RatePacer(0.5, clock);
  // A fake org: fixed 60 s windows ending at 1,060,000 ms, 1,120,000 ms, …; limit 100.
  const windowEnd = (t: number) => 1_060_000 + Math.floor((t - 1_000_000) / 60_000) * 60_000;
  const used = new Map<number, number>();
  const sent: number[] = [];
  for (let i = 0; i < 120; i++) {
    await pacer.acquire('groups');
    sent.push(clock.t);
    const end = windowEnd(clock.t);
    used.set(end, (used.get(end) ?? 0) + 1);
    pacer.settle('groups', 200, headers(clock, 100, 100 - used.get(end)!, end), clock.t);
  }
  expect([...used.values()]).toEqual([50, 50, 20]);
  // Each new window is entered right after its start (within the pacer's margin).
  expect(sent[50]! - 1_060_000).toBeLessThan(100);
  expect(sent[100]! - 1_120_000).toBeLessThan(100);
  expect(pacer.report().get('groups')).toEqual({ calls: 120, throttled: 0, limit: 100 });
});

test('an unknown bucket gets one probe call at a time until its limit is known', async () => {
  const clock = new FakeClock();
  const pacer = new RatePacer(0.5, clock);
  await pacer.acquire('users');
  let second = false;
  const waiting = pacer.acquire('users').then(() => (second = true));
  await Promise.resolve();
  expect(second).toBe(false);
  pacer.settle('users', 200, headers(clock, 600, 599, clock.t + 30_000), clock.t);
  await waiting;
  expect(second).toBe(true);
});

test('a 429 closes the bucket until its Reset plus a second; Remaining used by others is respected', async () => {
  const clock = new FakeClock();
  const pacer = new RatePacer(0.5, clock);
  await pacer.acquire('logs');
  const reset = clock.t + 10_000;
  pacer.settle('logs', 429, headers(clock, 120, 0, reset), clock.t);
  await pacer.acquire('logs');
  expect(clock.t).toBeGreaterThanOrEqual(reset + 1_000);
  expect(pacer.report().get('logs')?.throttled).toBe(1);
  // Others used the window up: Remaining 0 stops us although our own share is not spent.
  const next = clock.t + 60_000;
  pacer.settle('logs', 200, headers(clock, 120, 0, next), clock.t);
  await pacer.acquire('logs');
  expect(clock.t).toBeGreaterThanOrEqual(next);
});
