/**
 * Rate limits: headers on every response, the 429 E0000047 body, a storm the SDK rides out by
 * waiting for X-Rate-Limit-Reset, the concurrency limit, and faults applied to API requests.
 */
import { startOktaEmulator, type RunningOktaEmulator } from '../../../src/emulators/okta';
import { collect, countingExecutor, rejection, scrubOktaEnvironment, sswsClient } from './helpers';

jest.setTimeout(60_000);

let emulator: RunningOktaEmulator;

beforeAll(async () => {
  scrubOktaEnvironment();
  emulator = await startOktaEmulator({
    tenant: { seed: 'okta-rate', users: 300, groups: 10 },
    rateLimitWindowSeconds: 1,
  });
});

afterAll(async () => {
  await emulator?.close();
});

afterEach(() => {
  emulator.faults.reset();
});

function rateHeaders(headers: Headers): [string | null, string | null, string | null] {
  return [headers.get('x-rate-limit-limit'), headers.get('x-rate-limit-remaining'), headers.get('x-rate-limit-reset')];
}

test('every API response carries X-Rate-Limit-* per endpoint bucket and a Date header', async () => {
  const auth = { Authorization: `SSWS ${emulator.apiToken}` };
  const cases: [string, RequestInit, number, string][] = [
    ['/api/v1/users?limit=1', { headers: auth }, 200, '600'],
    ['/api/v1/users/nobody', { headers: auth }, 404, '2000'],
    ['/api/v1/groups', { headers: { Authorization: 'SSWS nope' } }, 401, '500'],
    ['/api/v1/logs', { headers: auth }, 200, '120'],
    ['/api/v1/authn', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } }, 401, '600'],
    ['/api/v1/nowhere', { headers: auth }, 404, '1200'],
  ];
  for (const [path, init, status, limit] of cases) {
    const response = await fetch(`${emulator.url}${path}`, init);
    expect(response.status).toBe(status);
    const [l, remaining, reset] = rateHeaders(response.headers);
    expect(l).toBe(limit);
    expect(Number(remaining)).toBeLessThan(Number(limit));
    expect(Number(reset)).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000));
    expect(Number(reset)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1);
    expect(response.headers.get('date')).not.toBeNull();
    expect(response.headers.get('x-okta-request-id')).not.toBeNull();
  }
});

test('over the budget: 429 with the E0000047 body and Remaining 0; the budget refills in the next window', async () => {
  emulator.faults.update({ throttle: { enabled: true, budget: 2 } });
  // Start at the beginning of a window so that three calls share it.
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
  const call = () =>
    fetch(`${emulator.url}/api/v1/groups`, { headers: { Authorization: `SSWS ${emulator.apiToken}` } });
  const [a, b, c] = [await call(), await call(), await call()];
  expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
  expect(rateHeaders(c.headers).slice(0, 2)).toEqual(['2', '0']);
  const body = (await c.json()) as Record<string, unknown>;
  expect(body).toMatchObject({
    errorCode: 'E0000047',
    errorSummary: 'API call exceeded rate limit due to too many requests.',
    errorLink: 'E0000047',
  });
  expect(Number(c.headers.get('x-rate-limit-reset')) * 1000).toBeGreaterThan(Date.parse(c.headers.get('date')!));
  // Another bucket is not affected.
  expect(
    (await fetch(`${emulator.url}/api/v1/users?limit=1`, { headers: { Authorization: `SSWS ${emulator.apiToken}` } }))
      .status,
  ).toBe(200);
  await new Promise((resolve) =>
    setTimeout(resolve, Number(c.headers.get('x-rate-limit-reset')) * 1000 - Date.now() + 5),
  );
  expect((await call()).status).toBe(200);
});

test('a rate-limit storm: the SDK waits for X-Rate-Limit-Reset and pages all users to the end', async () => {
  emulator.faults.update({ throttle: { enabled: true, budget: 4 } });
  const { executor, urls, backoffs, retries } = countingExecutor(10);
  const client = sswsClient(emulator.url, emulator.apiToken, executor);
  const users = await collect(client.userApi.listUsers({ search: 'status pr', limit: 25 }));
  expect(users.length).toBe(300);
  expect(new Set(users.map((u) => u.id)).size).toBe(300);
  expect(backoffs.length).toBeGreaterThan(0);
  // Reset − Date + 1 s, with Reset at most 1 s ahead of a Date truncated to the second.
  for (const delay of backoffs) {
    expect(delay).toBeGreaterThanOrEqual(1000);
    expect(delay).toBeLessThanOrEqual(3000);
  }
  expect(retries.length).toBe(backoffs.length);
  expect(urls.length).toBe(12 + backoffs.length);
});

test('without retries the SDK surfaces the 429 as OktaApiError E0000047', async () => {
  emulator.faults.update({ throttle: { enabled: true, budget: 1 } });
  const client = sswsClient(emulator.url, emulator.apiToken);
  await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
  const error = await rejection(collect(client.userApi.listUsers({ limit: 10 })));
  expect([error.status, error.errorCode]).toEqual([429, 'E0000047']);
  expect(error.headers.get('x-rate-limit-reset')).not.toBeNull();
});

test('the concurrency limit answers 429 to requests beyond it; throttling off means no 429 at all', async () => {
  const narrow = await startOktaEmulator({
    tenant: { seed: 'okta-concurrency', users: 20, groups: 2 },
    concurrencyLimit: 3,
    rateLimitPerMinute: 50,
    faults: { latencyMs: 200 },
  });
  try {
    const burst = () =>
      Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${narrow.url}/api/v1/users/unknown`, { headers: { Authorization: `SSWS ${narrow.apiToken}` } }),
        ),
      );
    const quiet = await burst();
    expect(quiet.every((r) => r.status === 404 && r.headers.get('x-rate-limit-limit') === '50')).toBe(true);
    narrow.faults.update({ throttle: { enabled: true, budget: null } });
    const loud = await burst();
    const limited = loud.filter((r) => r.status === 429);
    expect(limited.length).toBe(5);
    expect(
      limited.every(
        (r) => r.headers.get('x-rate-limit-limit') === '3' && r.headers.get('x-rate-limit-remaining') === '0',
      ),
    ).toBe(true);
    expect(((await limited[0]!.json()) as { errorCode: string }).errorCode).toBe('E0000047');
  } finally {
    await narrow.close();
  }
});

test('vendor-neutral faults apply to API requests: injected 503s', async () => {
  emulator.faults.update({ serverErrorRate: 1 });
  const response = await fetch(`${emulator.url}/api/v1/users`, {
    headers: { Authorization: `SSWS ${emulator.apiToken}` },
  });
  expect(response.status).toBe(503);
  expect(response.headers.get('x-rate-limit-limit')).toBe('600');
});
