import type { Clock } from '../../../src/providers/shared/clock';
import { backoffMs, DEFAULT_RETRY_POLICY, Pace } from '../../../src/providers/google/pacing';

/** The Directory API pace on a fake clock: queries per minute, halving on refusals, concurrency; Google's backoff. */
function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

test('after its burst the pace lets exactly queriesPerMinute through per minute', async () => {
  const clock = fakeClock();
  const pace = new Pace(2_400, 10, clock);
  // Burst: 5 s worth (200) at once.
  for (let i = 0; i < 200; i++) {
    await pace.acquire();
    pace.release();
  }
  expect(clock.t).toBe(0);
  for (let i = 0; i < 2_400; i++) {
    await pace.acquire();
    pace.release();
  }
  expect(clock.t).toBeCloseTo(60_000, -1);
});

test('a quota refusal halves the rate (once per burst), pauses everyone, and the rate recovers after quiet minutes', async () => {
  const clock = fakeClock();
  const pace = new Pace(2_400, 10, clock);
  const sentAt = await pace.acquire();
  pace.release();
  clock.t += 10;
  pace.throttled(sentAt, 1_000);
  pace.throttled(sentAt, 1_000); // sent before the decrease: no second halving
  expect(pace.queriesPerMinute).toBe(1_200);
  await pace.acquire();
  pace.release();
  expect(clock.t).toBeGreaterThanOrEqual(1_010);
  clock.t += 61_000;
  await pace.acquire();
  pace.release();
  expect(pace.queriesPerMinute).toBe(1_500);
});

test('at most maxConcurrency requests in flight', async () => {
  const pace = new Pace(1_000_000, 3);
  let inFlight = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      await pace.acquire();
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      pace.release();
    }),
  );
  expect(peak).toBe(3);
});

test("backoff follows Google's guidance: 1 s, 2 s, 4 s … plus up to 1 s of jitter, capped at 32 s", () => {
  expect(backoffMs(DEFAULT_RETRY_POLICY, 1, () => 0)).toBe(1_000);
  expect(backoffMs(DEFAULT_RETRY_POLICY, 3, () => 0.5)).toBe(4_500);
  expect(backoffMs(DEFAULT_RETRY_POLICY, 10, () => 0.5)).toBe(32_000);
});
