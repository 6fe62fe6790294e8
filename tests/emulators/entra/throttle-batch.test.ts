import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import type { RunningEntraEmulator } from '../../../src/emulators/entra';
import { accessToken, closeAll, graphClient, graphError, raw, startSmall } from './helpers';

/**
 * Throttling (token bucket of resource units per app+tenant per 10 s) and $batch, through the
 * Graph client where it applies. A tiny budget makes throttling quick to reach.
 */
let emu: RunningEntraEmulator;
let token: string;
beforeAll(async () => {
  emu = await startSmall({ faults: { throttle: { enabled: true, budget: 15 } } });
  token = await accessToken(emu);
});
afterAll(() => closeAll(emu));
beforeEach(() => emu.resetThrottle());

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface BatchResult {
  responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[];
}

test('resource-unit costs are reported per request (x-ms-resource-unit)', async () => {
  emu.faults.update({ throttle: { enabled: true, budget: 10_000 } });
  const group = [...emu.state.groups.values()].find((g) => g.userIds.size > 0)!;
  const cost = async (path: string): Promise<string | null> =>
    (await raw(emu, path, { token })).headers.get('x-ms-resource-unit');
  expect(await cost('/v1.0/users')).toBe('2');
  expect(await cost('/v1.0/users?$select=id')).toBe('1');
  expect(await cost('/v1.0/users?$top=5')).toBe('1');
  expect(await cost(`/v1.0/groups/${group.id}/members`)).toBe('3');
  expect(await cost(`/v1.0/groups/${group.id}/members?$select=id&$top=5`)).toBe('1');
  expect(await cost(`/v1.0/groups/${group.id}/transitiveMembers`)).toBe('5');
  expect(await cost(`/v1.0/groups/${group.id}/transitiveMembers?$expand=manager`)).toBe('6'); // $expand +1 (refused by the emulator, still charged)
  expect(await cost('/v1.0/groups')).toBe('1');
  emu.faults.update({ throttle: { enabled: true, budget: 15 } });
});

test('over budget → 429 with Retry-After and throttle headers; retrying after it succeeds', async () => {
  const statuses: number[] = [];
  let throttled: Awaited<ReturnType<typeof raw>> | null = null;
  let percentageSeen = false;
  for (let i = 0; i < 12 && throttled === null; i++) {
    const r = await raw(emu, '/v1.0/users?$top=50', { token }); // cost 2
    statuses.push(r.status);
    if (r.headers.get('x-ms-throttle-limit-percentage')) percentageSeen = true;
    if (r.status === 429) throttled = r;
  }
  expect(statuses.slice(0, 7).every((s) => s === 200)).toBe(true);
  expect(throttled).not.toBeNull();
  expect(percentageSeen).toBe(true);
  const retryAfter = Number(throttled!.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(throttled!.headers.get('x-ms-throttle-scope')).toBe(
    `Tenant_Application/ReadWrite/${emu.clientId}/${emu.tenantId}`,
  );
  expect(throttled!.headers.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
  expect(graphError(throttled!.json).code).toBe('TooManyRequests');
  await sleep(retryAfter * 1000);
  expect((await raw(emu, '/v1.0/users?$top=50', { token })).status).toBe(200);
});

test('the Graph client rides out 429s with its RetryHandler (Retry-After honoured)', async () => {
  const client = graphClient(emu);
  emu.resetStats();
  const results = [];
  for (let i = 0; i < 19; i++) results.push(await client.api('/users').select('id').top(999).get());
  expect(results.every((r: { value: unknown[] }) => r.value.length > 0)).toBe(true);
  expect(emu.stats().byStatus[429] ?? 0).toBeGreaterThan(0);
});

test('$batch through BatchRequestContent: inner urls keep /v1.0, answers in any order, inner 429 with its own Retry-After', async () => {
  const client = graphClient(emu);
  const users = [...emu.state.users.values()].slice(0, 20);
  const steps = users.map((u, i) => ({
    id: String(i + 1),
    request: new Request(`${emu.graphBaseUrl}/v1.0/users/${u.id}?$select=id,displayName`, { method: 'GET' }),
  }));
  const content = await new BatchRequestContent(steps).getContent();
  expect((content as { requests: { url: string }[] }).requests[0]!.url).toMatch(/^\/v1\.0\/users\//);
  let pending = new Set(steps.map((s) => s.id));
  let rounds = 0;
  let saw429 = false;
  while (pending.size > 0 && rounds < 10) {
    rounds++;
    const body = (await client.api('/$batch').post({
      requests: (content as { requests: { id: string }[] }).requests.filter((r) => pending.has(r.id)),
    })) as BatchResult;
    const parsed = new BatchResponseContent(body as never);
    const order = body.responses.map((r) => r.id);
    if (order.length > 1) expect(order).not.toEqual([...order].sort((a, b) => Number(a) - Number(b)));
    let wait = 0;
    for (const r of body.responses) {
      if (r.status === 200) {
        expect((await parsed.getResponseById(r.id).json()) as { id: string }).toMatchObject({
          id: users[Number(r.id) - 1]!.id,
        });
        pending.delete(r.id);
      } else {
        expect(r.status).toBe(429);
        saw429 = true;
        wait = Math.max(wait, Number(r.headers['Retry-After']));
      }
    }
    pending = new Set(pending);
    if (pending.size > 0) await sleep(wait * 1000);
  }
  expect(saw429).toBe(true);
  expect(pending.size).toBe(0);
});

test('$batch limits and dependencies: > 20 → 400; dependsOn on a failure → 424; urls without /v1.0', async () => {
  emu.faults.update({ throttle: { enabled: false, budget: 15 } });
  const many = {
    requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users?$top=1' })),
  };
  const tooMany = await raw(emu, '/v1.0/$batch', {
    token,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(many),
  });
  expect(tooMany.status).toBe(400);
  expect(graphError(tooMany.json).code).toBe('BadRequest');
  const duplicate = await raw(emu, '/v1.0/$batch', {
    token,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      requests: [
        { id: 'a', method: 'GET', url: '/users' },
        { id: 'A', method: 'GET', url: '/groups' },
      ],
    }),
  });
  expect(duplicate.status).toBe(400);
  const chained = {
    requests: [
      { id: '1', method: 'GET', url: '/users/00000000-0000-4000-8000-00000000dead' },
      { id: '2', method: 'GET', url: '/groups?$top=1', dependsOn: ['1'] },
      { id: '3', method: 'GET', url: 'groups?$top=2' },
    ],
  };
  const result = await raw(emu, '/v1.0/$batch', {
    token,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(chained),
  });
  expect(result.status).toBe(200);
  const byId = new Map((result.json as BatchResult).responses.map((r) => [r.id, r]));
  expect(byId.get('1')!.status).toBe(404);
  expect(graphError(byId.get('1')!.body).code).toBe('Request_ResourceNotFound');
  expect(byId.get('2')!.status).toBe(424);
  expect(byId.get('3')!.status).toBe(200);
  expect((byId.get('3')!.body as { value: unknown[] }).value).toHaveLength(2);
  emu.faults.update({ throttle: { enabled: true, budget: 15 } });
});
