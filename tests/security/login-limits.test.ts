import {
  ApplicationLoginLimit,
  LoginLimits,
  UserLoginDelays,
  type Reservation,
  type UserAdmission,
} from '../../src/security/login-limits';
import { VerifiedPasswordCache } from '../../src/security/password-hash';

/** The limiter classes alone, with an injected clock (the facade tests drive them over HTTP). */

function admitted(admission: UserAdmission): Reservation {
  if (!admission.admitted) throw new Error(`refused, retry after ${admission.retryAfterMs} ms`);
  return admission.reservation;
}

describe('ApplicationLoginLimit', () => {
  test('reserves before the check: 10 concurrent reservations, the 11th refused; failures hold the budget until the window ends', () => {
    let now = 0;
    const limit = new ApplicationLoginLimit({ now: () => now });
    const held = Array.from({ length: 10 }, () => limit.reserve('10.0.0.1'));
    expect(held.every((r) => r !== undefined)).toBe(true);
    expect(limit.reserve('10.0.0.1')).toBeUndefined();
    expect(limit.reserve('10.0.0.2')).toBeDefined(); // another address has its own budget
    held[0]!.succeed(); // a success gives its slot back...
    const next = limit.reserve('10.0.0.1');
    expect(next).toBeDefined();
    next!.fail();
    for (const r of held.slice(1)) r!.fail();
    held[1]!.fail(); // settling twice counts once
    expect(limit.blocked('10.0.0.1')).toBe(true);
    expect(limit.reserve('10.0.0.1')).toBeUndefined();
    expect(limit.counters()).toMatchObject({ checked: 12, refused: 2, failed: 10, succeeded: 1, blocked: 1 });
    now += 59_999;
    expect(limit.blocked('10.0.0.1')).toBe(true);
    now += 1;
    expect(limit.blocked('10.0.0.1')).toBe(false);
    expect(limit.reserve('10.0.0.1')).toBeDefined();
  });

  test('a success does not refill the budget; a released check does not count; bounded by maxKeys', () => {
    const limit = new ApplicationLoginLimit({ failures: 2, maxKeys: 2, now: () => 0 });
    limit.reserve('a')!.fail();
    limit.reserve('a')!.succeed();
    limit.reserve('a')!.release();
    limit.reserve('a')!.fail();
    expect(limit.blocked('a')).toBe(true);
    limit.reserve('b')!.fail();
    limit.reserve('c')!.fail(); // three addresses, room for two: a (the quietest) is dropped
    expect(limit.blocked('a')).toBe(false);
    expect(limit.counters().blocked).toBe(0);
    limit.acceptedKnownGood('a');
    limit.reserve('b')!.fail();
    limit.acceptedKnownGood('b');
    expect(limit.counters()).toMatchObject({ blocked: 1, acceptedWhileBlocked: 1 });
  });
});

describe('UserLoginDelays', () => {
  const relay = { address: '10.0.0.5', relay: true };

  test('progressive delays after the threshold: 1 s, 2 s, 4 s … capped at 60 s; one check at a time; success resets', () => {
    let now = 1_000_000;
    const delays = new UserLoginDelays({ threshold: 3, relayThreshold: 3, now: () => now });
    for (let i = 0; i < 3; i++) admitted(delays.reserve('u', relay)).fail();
    const expected = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];
    for (const delay of expected) {
      const refused = delays.reserve('u', relay);
      expect(refused).toEqual({ admitted: false, retryAfterMs: delay });
      now += delay - 1;
      expect(delays.reserve('u', relay).admitted).toBe(false);
      expect(delays.counters().blocked).toBe(1);
      now += 1;
      const attempt = admitted(delays.reserve('u', relay));
      expect(delays.reserve('u', relay).admitted).toBe(false); // past the threshold: one check at a time
      attempt.fail();
    }
    now += 60_000;
    admitted(delays.reserve('u', relay)).succeed();
    for (let i = 0; i < 3; i++) admitted(delays.reserve('u', relay)).fail(); // a fresh budget
    expect(delays.reserve('u', relay).admitted).toBe(false);
    expect(delays.counters()).toMatchObject({
      checked: 3 + expected.length + 1 + 3,
      failed: 3 + expected.length + 3,
      succeeded: 1,
      blocked: 1,
      familiarSources: 0,
    });
  });

  test('a concurrent burst gets exactly the threshold; released slots (unknown user, provider down) count nothing', () => {
    const delays = new UserLoginDelays({ now: () => 0 });
    const burst = Array.from({ length: 29 }, () => delays.reserve('alice', { address: '10.1.1.1', relay: false }));
    expect(burst.filter((a) => a.admitted)).toHaveLength(5);
    for (const a of burst) if (a.admitted) a.reservation.release();
    expect(
      Array.from({ length: 29 }, () => delays.reserve('alice', { address: '10.1.1.1', relay: false })).filter(
        (a) => a.admitted,
      ),
    ).toHaveLength(5);
    expect(delays.counters()).toMatchObject({ checked: 10, refused: 48, failed: 0, blocked: 0 });
    const relayed = Array.from({ length: 29 }, () => delays.reserve('bob', relay));
    expect(relayed.filter((a) => a.admitted)).toHaveLength(20);
  });

  test('familiar sources have their own budget; unfamiliar ones share one, which a success does not reset', () => {
    let now = 0;
    const delays = new UserLoginDelays({ now: () => now });
    const home = { address: '192.0.2.10', relay: false };
    admitted(delays.reserve('alice', home)).succeed();
    expect(delays.isFamiliar('alice', '192.0.2.10')).toBe(true);
    expect(delays.isFamiliar('bob', '192.0.2.10')).toBe(false);
    for (let i = 0; i < 5; i++) admitted(delays.reserve('alice', { address: `203.0.113.${i}`, relay: false })).fail();
    expect(delays.reserve('alice', { address: '203.0.113.99', relay: false }).admitted).toBe(false); // the pool is delayed
    admitted(delays.reserve('alice', home)).succeed(); // home is not
    now += 1_000;
    admitted(delays.reserve('alice', { address: '198.51.100.7', relay: false })).succeed(); // a new place, after the delay
    admitted(delays.reserve('alice', { address: '203.0.113.50', relay: false })).fail();
    // The strangers' failures stand (6 now: the next delay is 2 s), but the new place is familiar.
    expect(delays.reserve('alice', { address: '203.0.113.51', relay: false })).toEqual({
      admitted: false,
      retryAfterMs: 2_000,
    });
    admitted(delays.reserve('alice', { address: '198.51.100.7', relay: false })).succeed();
    now += 30 * 24 * 60 * 60_000;
    expect(delays.isFamiliar('alice', '198.51.100.7')).toBe(false); // 30 days later
  });

  test('failures are forgotten 15 minutes after the last one; state is bounded', () => {
    let now = 0;
    const delays = new UserLoginDelays({ threshold: 1, maxKeys: 2, now: () => now });
    const at = (address: string) => ({ address, relay: false });
    admitted(delays.reserve('a', at('x'))).fail();
    expect(delays.reserve('a', at('x')).admitted).toBe(false);
    now += 15 * 60_000;
    admitted(delays.reserve('a', at('x'))).fail();
    admitted(delays.reserve('b', at('x'))).fail();
    admitted(delays.reserve('c', at('x'))).fail(); // room for two keys: a's (the quietest) is dropped
    expect(delays.counters().blocked).toBe(2);
    expect(delays.reserve('a', at('x')).admitted).toBe(true);
  });
});

test('LoginLimits: one clock for both, counters for both', () => {
  const limits = new LoginLimits({ now: () => 0, application: { failures: 1 }, user: { relayThreshold: 1 } });
  limits.application.reserve('a')!.fail();
  admitted(limits.user.reserve('u', { address: 'a', relay: true })).fail();
  expect(limits.counters()).toMatchObject({
    application: { checked: 1, failed: 1, blocked: 1 },
    user: { checked: 1, failed: 1, blocked: 1 },
  });
});

test('VerifiedPasswordCache.knownGood: only what verified, without a check, for a day', async () => {
  let now = 0;
  const calls: string[] = [];
  const cache = new VerifiedPasswordCache({
    now: () => now,
    verify: async (password, stored) => {
      calls.push(password);
      return password === 'right' && stored === 'h';
    },
  });
  expect(cache.knownGood('right', 'h')).toBe(false);
  expect(await cache.verify('right', 'h')).toBe(true);
  expect(await cache.verify('wrong', 'h')).toBe(false);
  expect([cache.knownGood('right', 'h'), cache.knownGood('wrong', 'h'), cache.knownGood('right', 'other')]).toEqual([
    true,
    false,
    false,
  ]);
  now += 10 * 60_000; // past the verify cache's 5 minutes
  expect(cache.knownGood('right', 'h')).toBe(true);
  expect(await cache.verify('right', 'h')).toBe(true);
  expect(calls).toEqual(['right', 'wrong', 'right']); // verify checked again; knownGood never did
  now += 24 * 60 * 60_000 - 1;
  expect(cache.knownGood('right', 'h')).toBe(true);
  now += 1;
  expect(cache.knownGood('right', 'h')).toBe(false);
});

/** Two processes' limits wired sink → absorb, as src/nodes/shared-login-limits.ts wires them through PostgreSQL. */
describe('failures shared between processes (sink and absorb)', () => {
  test('application limit: failures counted by one process block the address in the other; a newer window replaces an older one', () => {
    let now = 5_000;
    const clock = { now: () => now };
    const other = new ApplicationLoginLimit(clock);
    const one = new ApplicationLoginLimit({ ...clock, sink: (key, record) => other.absorb(key, record) });
    for (let i = 0; i < 10; i++) one.reserve('10.0.0.9')!.fail();
    expect(other.blocked('10.0.0.9')).toBe(true);
    expect(other.reserve('10.0.0.9')).toBeUndefined();
    expect(other.counters()).toMatchObject({ checked: 0, failed: 0, refused: 1, blocked: 1 });
    // A stale record (an older window) changes nothing; after the window the address is free again.
    other.absorb('10.0.0.9', { failures: 1, at: 1_000, notBefore: 0 });
    expect(other.blocked('10.0.0.9')).toBe(true);
    now += 60_000;
    expect(other.blocked('10.0.0.9')).toBe(false);
    other.absorb('10.0.0.8', { failures: 10, at: now - 60_000, notBefore: 0 }); // already over: ignored
    expect(other.blocked('10.0.0.8')).toBe(false);
  });

  test('user delays: the delay counted by one process holds in the other, and a success there clears it here', () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const relay = { address: '10.0.0.5', relay: true };
    const b = new UserLoginDelays({ threshold: 3, relayThreshold: 3, ...clock });
    const a = new UserLoginDelays({
      threshold: 3,
      relayThreshold: 3,
      ...clock,
      sink: (key, record) => b.absorb(key, record),
    });
    for (let i = 0; i < 3; i++) admitted(a.reserve('u', relay)).fail();
    expect(b.reserve('u', relay)).toEqual({ admitted: false, retryAfterMs: 1_000 });
    expect(b.counters()).toMatchObject({ blocked: 1, checked: 0 });
    now += 1_000;
    // The delay is over: b checks; a's success afterwards clears the key in b too.
    admitted(b.reserve('u', relay)).release();
    now += 1;
    admitted(a.reserve('u', relay)).succeed();
    expect(b.counters().blocked).toBe(0);
    for (let i = 0; i < 2; i++) admitted(b.reserve('u', relay)).fail();
    expect(b.reserve('u', relay)).toMatchObject({ admitted: true }); // two failures since the reset: under the threshold
  });
});
