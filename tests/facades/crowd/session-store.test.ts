import { canonicalFactors, SessionStore } from '../../../facades/crowd/session-store';

describe('SessionStore', () => {
  let now = 1_000_000;
  const store = () => new SessionStore({ maxTtlMs: 60_000, maxSessions: 3, now: () => now });

  test('random URL-safe tokens of at least 128 bits; reuse for the same user and factors', () => {
    const sessions = store();
    const a = sessions.open('alice', canonicalFactors([{ name: 'remote_address', value: '1.2.3.4' }]));
    expect(a.session.token).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 bytes = 192 bits
    expect(sessions.open('ALICE', canonicalFactors([{ name: 'remote_address', value: '1.2.3.4' }]))).toMatchObject({
      reused: true,
      session: { token: a.session.token },
    });
    expect(sessions.open('alice', '').session.token).not.toBe(a.session.token);
  });

  test('expiry, renewal, duration capped by the maximum', () => {
    const sessions = store();
    const short = sessions.open('bob', '', 10).session;
    const long = sessions.open('carol', '', 10_000).session;
    expect(short.expiresAt.getTime() - short.createdAt.getTime()).toBe(10_000);
    expect(long.expiresAt.getTime() - long.createdAt.getTime()).toBe(60_000);
    now += 9_000;
    expect(sessions.renew(short.token)).toBeDefined();
    now += 9_000;
    expect(sessions.get(short.token)).toBeDefined();
    now += 2_000;
    expect(sessions.get(short.token)).toBeUndefined();
    expect(sessions.renew(short.token)).toBeUndefined();
  });

  test('bounded: the oldest session goes first; removal by user with exclusion', () => {
    const sessions = store();
    const first = sessions.open('u1', '').session.token;
    const second = sessions.open('u2', 'x').session.token;
    const third = sessions.open('u2', 'y').session.token;
    sessions.open('u4', '');
    expect(sessions.size).toBe(3);
    expect(sessions.get(first)).toBeUndefined();
    sessions.removeUser('U2', third);
    expect(sessions.get(second)).toBeUndefined();
    expect(sessions.get(third)).toBeDefined();
  });
});
