/**
 * One fuzz case: the bytes to send on a fresh connection, and what is known about them (for the
 * invariants and for a replayable description).
 */
import { encodeRequest, type HttpRequestSpec, type WireTarget } from './wire';

/** Which front door the (first) request knocks on; decides which 5xx shape is allowed. */
export type Door = 'crowd' | 'graphql' | 'ide' | 'other' | 'raw';

export interface FuzzCase {
  readonly seed: number;
  readonly index: number;
  readonly door: Door;
  /** The generator that made it, e.g. `crowd/route`, `crowd/mutated`, `graphql/deep`, `raw/pipelined`. */
  readonly generator: string;
  /** A short human description, e.g. `GET /user username=<hostile>`. */
  readonly label: string;
  /** The first request as generated (before byte mutations), for the replay description. */
  readonly request?: HttpRequestSpec;
  readonly bytes: Buffer;
  /** Complete, well-framed requests in `bytes` (each must be answered), or undefined when unknown. */
  readonly expected?: number;
  /** Methods of the requests in order (a HEAD answer has no body). */
  readonly methods: readonly string[];
  /**
   * GraphQL: the document is far over the limits (depth, aliases, cost, input nesting, tokens):
   * the answer must be 400 with `BAD_USER_INPUT`, never an execution.
   */
  readonly mustBeLimited?: boolean;
  /** The body is over the 1 MiB request limit: the server may refuse it early and reset the connection. */
  readonly oversized?: boolean;
}

/** A well-framed single request: it must get exactly one answer. */
export function single(
  target: WireTarget,
  base: { seed: number; index: number; door: Door; generator: string; label: string },
  request: HttpRequestSpec,
  extra: Partial<Pick<FuzzCase, 'mustBeLimited' | 'oversized'>> = {},
): FuzzCase {
  return { ...base, ...extra, request, bytes: encodeRequest(target, request), expected: 1, methods: [request.method] };
}

/** The door of a request target. */
export function doorOf(target: string, crowdMounts: readonly string[]): Door {
  const path = target.split('?')[0] ?? '';
  if (crowdMounts.some((base) => path === base || path.startsWith(`${base}/`))) return 'crowd';
  if (path === '/graphql') return 'graphql';
  if (path.startsWith('/graphql/ide/')) return 'ide';
  return 'other';
}

/** Printable form of bytes: JSON string escapes, cut at `max` bytes with the total length. */
export function printable(bytes: Buffer, max = 240): string {
  const shown = JSON.stringify(bytes.subarray(0, max).toString('latin1'));
  return bytes.length > max ? `${shown}… (${bytes.length} bytes)` : shown;
}

/** Everything needed to replay a case by hand or with CROWDGATE_FUZZ_SEED / CROWDGATE_FUZZ_ONLY. */
export function describeCase(c: FuzzCase): string {
  const lines = [
    `case #${c.index} (seed ${c.seed}; replay: CROWDGATE_FUZZ_SEED=${c.seed} CROWDGATE_FUZZ_ONLY=${c.index}) ${c.generator}: ${c.label}`,
  ];
  if (c.request) {
    const r = c.request;
    lines.push(`  ${JSON.stringify(r.method)} ${printable(Buffer.from(r.target, 'latin1'), 300)}`);
    lines.push(
      `  headers: ${JSON.stringify(r.headers.map(([n, v]) => `${n}: ${v.length > 120 ? `${v.slice(0, 120)}… (${v.length})` : v}`))}`,
    );
    if (r.body.length > 0) lines.push(`  body: ${printable(r.body)}`);
  }
  lines.push(`  wire: ${printable(c.bytes, 400)}`);
  return lines.join('\n');
}
