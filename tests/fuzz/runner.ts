/**
 * Runs fuzz cases against a live crowdgate: batches of cases over fresh connections (a few at a
 * time), the invariants of invariants.ts on every exchange, and a health check (a known-good Crowd
 * `GET /user` and a GraphQL query) before, between batches and after. Shared by the jest test and
 * the benchmark; no jest here.
 */
import { describeCase, generateCase, CROWD_MOUNTS, type FuzzCase, type Vocabulary } from './front-door-cases';
import { checkExchange, internalErrors, statusClass, type ViolationKind } from './invariants';
import { encodeRequest, exchange, type WireTarget } from './wire';

export interface FuzzOptions {
  readonly seed: number;
  readonly cases: number;
  /** Replay: only these indexes. */
  readonly only?: readonly number[];
  /** Cases in flight at once (each on its own connection). */
  readonly concurrency: number;
  /** Cases between health checks. */
  readonly batchSize: number;
  /** Deadline of one case. */
  readonly caseTimeoutMs: number;
  /** Half-close a connection of a case with unknown framing after this long without a byte from the server. */
  readonly quietMs: number;
  /** Only cases whose generator matches (e.g. /^graphql\//): to bisect a finding by front door. */
  readonly generators?: RegExp;
  /** Called after each batch (and its health check), e.g. to sample memory or print progress. */
  readonly afterBatch?: (done: number, report: FuzzReport) => Promise<void> | void;
}

export interface Violation {
  readonly kind: ViolationKind;
  readonly index: number;
  readonly detail: string;
  /** describeCase(): seed, index, method, target, headers, body prefix, wire bytes. */
  readonly replay: string;
}

export interface FuzzReport {
  readonly seed: number;
  cases: number;
  /** door → class of the first answer (2xx, 4xx, 5xx, none …) → cases. */
  readonly byDoor: Record<string, Record<string, number>>;
  /** Status code → answers (all answers, pipelined ones included). */
  readonly byStatus: Record<string, number>;
  /** Generator → cases. */
  readonly byGenerator: Record<string, number>;
  /** Violations by kind, and the first ones in full (up to MAX_KEPT per kind). */
  readonly violationCounts: Partial<Record<ViolationKind, number>>;
  readonly violations: Violation[];
  /** Findings that are known gaps (invariants.ts KNOWN_GAPS), by gap id, with one example case each. */
  readonly known: Record<string, { count: number; example: string }>;
  /** Masked internal errors seen (allowed, but each is a server-side failure worth a look). */
  internalErrors: number;
  readonly internalCases: Array<{ index: number; label: string }>;
  /** Over-limit GraphQL documents checked. */
  limitedChecked: number;
  healthChecks: number;
  /** The slowest cases. */
  readonly slowest: Array<{ index: number; ms: number; label: string; status: string }>;
  durationMs: number;
}

const MAX_KEPT = 5;

function emptyReport(seed: number): FuzzReport {
  return {
    seed,
    cases: 0,
    byDoor: {},
    byStatus: {},
    byGenerator: {},
    violationCounts: {},
    violations: [],
    known: {},
    internalErrors: 0,
    internalCases: [],
    limitedChecked: 0,
    healthChecks: 0,
    slowest: [],
    durationMs: 0,
  };
}

function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

function record(report: FuzzReport, kind: ViolationKind, index: number, detail: string, replay: string): void {
  const count = (report.violationCounts[kind] ?? 0) + 1;
  report.violationCounts[kind] = count;
  if (count <= MAX_KEPT) report.violations.push({ kind, index, detail, replay });
}

/** One case: send, collect, check, count. */
async function runCase(target: WireTarget, c: FuzzCase, options: FuzzOptions, report: FuzzReport): Promise<void> {
  const ex = await exchange(target, c.bytes, {
    ...(c.expected !== undefined ? { expected: c.expected } : { quietMs: options.quietMs }),
    methods: c.methods,
    timeoutMs: options.caseTimeoutMs,
  });
  report.cases++;
  const first = ex.responses[0];
  bump((report.byDoor[c.door] ??= {}), statusClass(first));
  for (const r of ex.responses) bump(report.byStatus, String(r.status));
  if (ex.responses.length === 0) bump(report.byStatus, ex.end === 'reset' ? 'reset' : 'none');
  bump(report.byGenerator, c.generator);
  if (c.mustBeLimited) report.limitedChecked++;
  const internal = internalErrors(ex.responses);
  if (internal > 0) {
    report.internalErrors += internal;
    if (report.internalCases.length < 20)
      report.internalCases.push({ index: c.index, label: `${c.generator}: ${c.label.slice(0, 120)}` });
  }
  for (const finding of checkExchange(c, ex)) {
    if (finding.known) {
      const entry = (report.known[finding.known] ??= {
        count: 0,
        example: `#${c.index} ${c.generator}: ${c.label.slice(0, 100)} → ${finding.detail.slice(0, 120)}`,
      });
      entry.count++;
    } else {
      record(report, finding.kind, c.index, finding.detail, describeCase(c));
    }
  }
  const slowest = report.slowest;
  if (slowest.length < 5 || ex.ms > slowest[slowest.length - 1]!.ms) {
    slowest.push({
      index: c.index,
      ms: Math.round(ex.ms),
      label: `${c.generator}: ${c.label.slice(0, 100)}`,
      status: first ? String(first.status) : ex.end,
    });
    slowest.sort((a, b) => b.ms - a.ms);
    slowest.length = Math.min(slowest.length, 5);
  }
}

/** Runs the cases; stops early (with a `crash` violation) when the server no longer passes its health check. */
export async function runFuzz(target: WireTarget, vocab: Vocabulary, options: FuzzOptions): Promise<FuzzReport> {
  const report = emptyReport(options.seed);
  const started = performance.now();
  const indexes = options.only ?? Array.from({ length: options.cases }, (_, i) => i);
  const health = async (after: string): Promise<boolean> => {
    const problem = await healthCheck(target, vocab);
    report.healthChecks++;
    if (problem)
      record(report, 'crash', -1, `health check failed ${after}: ${problem}`, '(no single case: see the batch)');
    return problem === undefined;
  };
  if (!(await health('before the first case'))) return report;
  for (let from = 0; from < indexes.length; from += options.batchSize) {
    const batch = indexes.slice(from, from + options.batchSize);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.concurrency, batch.length) }, async () => {
        for (let i = next++; i < batch.length; i = next++) {
          const c = generateCase(options.seed, batch[i]!, { target, vocab });
          if (!options.generators || options.generators.test(c.generator)) await runCase(target, c, options, report);
        }
      }),
    );
    report.durationMs = performance.now() - started;
    const ok = await health(`after cases ${batch[0]}–${batch[batch.length - 1]}`);
    await options.afterBatch?.(from + batch.length, report);
    if (!ok) break;
  }
  report.durationMs = performance.now() - started;
  return report;
}

/** A known-good Crowd lookup and GraphQL query; undefined when both answer 200, else what went wrong. */
export async function healthCheck(target: WireTarget, vocab: Vocabulary): Promise<string | undefined> {
  const user = vocab.users[0] ?? '';
  const basic = `Basic ${Buffer.from(`${vocab.application.name}:${vocab.application.password}`).toString('base64')}`;
  const crowd = await exchange(
    target,
    encodeRequest(target, {
      method: 'GET',
      target: `${CROWD_MOUNTS[0]}/user?username=${encodeURIComponent(user)}`,
      headers: [
        ['Authorization', basic],
        ['Connection', 'close'],
      ],
      body: Buffer.alloc(0),
    }),
    { expected: 1, timeoutMs: 15_000 },
  );
  const c = crowd.responses[0];
  if (!c || c.status !== 200)
    return `GET /user answered ${c ? `${c.status} ${JSON.stringify(c.body.toString('utf8').slice(0, 200))}` : crowd.end}`;
  const graphql = await graphqlPost(target, vocab.adminToken, '{ directories { name } }');
  if (graphql.status !== 200 || !graphql.text.includes('"directories"'))
    return `GraphQL answered ${graphql.status} ${JSON.stringify(graphql.text.slice(0, 200))}`;
  return undefined;
}

/** POST /graphql with a token; the status and the body text. */
export async function graphqlPost(
  target: WireTarget,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ status: number; text: string }> {
  const body = Buffer.from(JSON.stringify({ query, variables }), 'utf8');
  const ex = await exchange(
    target,
    encodeRequest(target, {
      method: 'POST',
      target: '/graphql',
      headers: [
        ['Authorization', `Bearer ${token}`],
        ['Content-Type', 'application/json'],
        ['Connection', 'close'],
      ],
      body,
    }),
    { expected: 1, timeoutMs: 30_000 },
  );
  const r = ex.responses[0];
  return { status: r?.status ?? 0, text: r?.body.toString('utf8') ?? '' };
}

/** Reads the names, keys, directories and event token the generators use from the server. */
export async function readVocabulary(
  target: WireTarget,
  credentials: { application: { name: string; password: string }; userPassword: string; adminToken: string },
): Promise<Vocabulary> {
  const { status, text } = await graphqlPost(
    target,
    credentials.adminToken,
    '{ directories { name } eventToken users(first: 40, filter: { active: true }) { nodes { name key } } groups(first: 30) { nodes { name } } }',
  );
  if (status !== 200) throw new Error(`cannot read the vocabulary: ${status} ${text.slice(0, 300)}`);
  const data = (
    JSON.parse(text) as {
      data: {
        directories: Array<{ name: string }>;
        eventToken: string;
        users: { nodes: Array<{ name: string; key: string }> };
        groups: { nodes: Array<{ name: string }> };
      };
    }
  ).data;
  return {
    users: data.users.nodes.map((u) => u.name),
    keys: data.users.nodes.map((u) => u.key),
    groups: data.groups.nodes.map((g) => g.name),
    eventToken: data.eventToken,
    directories: data.directories.map((d) => d.name),
    ...credentials,
  };
}

/** A multi-line summary of a report: counts by door and class, statuses, violations, the slowest cases. */
export function formatReport(report: FuzzReport): string {
  const lines = [
    `fuzz seed ${report.seed}: ${report.cases} cases in ${(report.durationMs / 1000).toFixed(1)} s, ${report.healthChecks} health checks`,
  ];
  for (const [door, classes] of Object.entries(report.byDoor)) {
    lines.push(
      `  ${door.padEnd(8)} ${Object.entries(classes)
        .sort()
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }
  lines.push(
    `  statuses: ${Object.entries(report.byStatus)
      .sort()
      .map(([k, v]) => `${k}:${v}`)
      .join(' ')}`,
  );
  lines.push(
    `  generators: ${Object.entries(report.byGenerator)
      .sort()
      .map(([k, v]) => `${k}:${v}`)
      .join(' ')}`,
  );
  lines.push(
    `  over-limit documents checked: ${report.limitedChecked}; masked internal errors: ${report.internalErrors}${
      report.internalCases.length
        ? ` (e.g. ${report.internalCases
            .slice(0, 5)
            .map((c) => `#${c.index} ${c.label}`)
            .join('; ')})`
        : ''
    }`,
  );
  lines.push(`  slowest: ${report.slowest.map((s) => `#${s.index} ${s.ms} ms ${s.status} ${s.label}`).join(' | ')}`);
  for (const [id, { count, example }] of Object.entries(report.known))
    lines.push(`  known gap ${id}: ${count} (e.g. ${example})`);
  const counts = Object.entries(report.violationCounts);
  lines.push(`  violations: ${counts.length === 0 ? 'none' : counts.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  for (const v of report.violations) lines.push(`  ✗ ${v.kind}: ${v.detail}\n${v.replay.replace(/^/gm, '      ')}`);
  return lines.join('\n');
}
