/**
 * Benchmark of the fake tenant generator.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/tenant-generation.js [users groups memberships]
 *
 * Defaults to the full size: 100_000 users, 20_000 groups, 1_000_000 memberships. Prints the
 * generator's wall time and the process's peak RSS right after generation, then, as a baseline
 * in the same run, the time to allocate the same number of plain objects (users + groups +
 * memberships) with Math.random fields, and the ratio of the two. Exits 1 when the counts
 * produced differ from the ones asked for, so it doubles as a smoke test.
 */
import { generateTenant, type TenantSpec } from '../src/emulators/tenant';

function argument(position: number, fallback: number): number {
  const raw = process.argv[2 + position];
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(
      `usage: node dist/bench/tenant-generation.js [users groups memberships] (got ${JSON.stringify(raw)})`,
    );
    process.exit(2);
  }
  return value;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const msSince = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

/** Allocates `users + groups + memberships` small plain objects with Math.random fields, kept alive. */
function baseline(users: number, groups: number, memberships: number): { ms: number; objects: number } {
  const start = process.hrtime.bigint();
  const u = new Array<{ id: number; name: number; mail: number; enabled: boolean }>(users);
  for (let i = 0; i < users; i++)
    u[i] = { id: Math.random(), name: Math.random(), mail: Math.random(), enabled: Math.random() < 0.95 };
  const g = new Array<{ id: number; name: number }>(groups);
  for (let i = 0; i < groups; i++) g[i] = { id: Math.random(), name: Math.random() };
  const m = new Array<{ user: number; group: number }>(memberships);
  for (let i = 0; i < memberships; i++) m[i] = { user: Math.random(), group: Math.random() };
  const ms = msSince(start);
  return { ms, objects: u.length + g.length + m.length };
}

function main(): void {
  const spec: TenantSpec = {
    seed: 'bench',
    users: argument(0, 100_000),
    groups: argument(1, 20_000),
    memberships: argument(2, 1_000_000),
  };
  const rssBefore = process.memoryUsage().rss;

  const start = process.hrtime.bigint();
  const tenant = generateTenant(spec);
  const generationMs = msSince(start);
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const heapUsed = process.memoryUsage().heapUsed;

  console.log(
    `tenant: ${tenant.users.length} users, ${tenant.groups.length} groups, ` +
      `${tenant.membershipCount} memberships (target ${tenant.spec.memberships}), ${tenant.nestedGroupLinkCount} nested links`,
  );
  console.log(
    `generation: ${generationMs.toFixed(0)} ms wall, peak RSS ${mb(peakRss)} ` +
      `(RSS before ${mb(rssBefore)}, heap used after ${mb(heapUsed)})`,
  );

  const base = baseline(tenant.users.length, tenant.groups.length, tenant.membershipCount);
  console.log(`baseline: ${base.ms.toFixed(0)} ms to allocate ${base.objects} plain objects with Math.random fields`);
  console.log(`ratio: generation / baseline = ${(generationMs / base.ms).toFixed(1)}x`);

  const ok =
    tenant.users.length === spec.users &&
    tenant.groups.length === spec.groups &&
    Math.abs(tenant.membershipCount - tenant.spec.memberships) <= tenant.spec.memberships * 0.03;
  if (!ok) {
    console.error('FAIL: generated counts differ from the spec');
    process.exitCode = 1;
  }
}

main();
