/**
 * What every answer of the front doors must satisfy, whatever was sent:
 *
 *  - no 5xx but a masked internal error with a correlation id: on the Crowd facade a 500
 *    `OPERATION_FAILED` entity whose message carries the id; on GraphQL errors that all say
 *    `extensions.code: INTERNAL_SERVER_ERROR` with `extensions.correlationId`. Elsewhere (the IDE,
 *    other paths) no 5xx at all;
 *  - no stack trace in any answer;
 *  - a GraphQL INTERNAL_SERVER_ERROR in any answer carries its correlation id;
 *  - every Crowd answer carries `X-Embedded-Crowd-Version`, and every Crowd 4xx/5xx other than
 *    401/403 is an error entity with a reason, as Crowd's own server answers;
 *  - a well-framed request is answered (not left hanging, not dropped), and the server never
 *    stays silent past the deadline;
 *  - a GraphQL document far over the limits gets 400 BAD_USER_INPUT.
 */
import type { FuzzCase } from './case';
import type { Exchange, ParsedResponse } from './wire';

export type ViolationKind =
  | 'unmasked-5xx'
  | 'stack-trace'
  | 'internal-without-id'
  | 'crowd-version-header'
  | 'crowd-error-entity'
  | 'no-answer'
  | 'timeout'
  | 'not-limited'
  | 'crash';

export interface Finding {
  readonly kind: ViolationKind;
  readonly detail: string;
  /** Set when the finding is a known gap (KNOWN_GAPS): reported, but not a failure. */
  readonly known?: string;
}

/**
 * Known gaps: findings reported apart (and not failed) until production handles them; delete an
 * entry once it is fixed, so the invariant guards the fix. Empty: the two this fuzzer found (node's
 * bare 417 for an unsupported `Expect`, and its bare 400 for an HTTP/1.1 request without `Host`,
 * both without Crowd headers or entity) are answered by src/http/client-errors.ts now.
 */
export const KNOWN_GAPS: ReadonlyArray<{
  readonly id: string;
  readonly note: string;
  matches(c: FuzzCase, r: ParsedResponse): boolean;
}> = [];

const CORRELATION = /correlation id [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
/** A V8 stack frame: `at fn (/path/file.js:1:2)` or `at /path/file.js:1:2` or `node:internal`. */
const STACK_FRAME = /\bat (?:[\w.$<>[\] ]+ \()?(?:\/|[A-Za-z]:\\|node:)[^\s)]*:\d+:\d+\)?/;

interface GraphQLErrorShape {
  message?: unknown;
  extensions?: { code?: unknown; correlationId?: unknown };
}

/** The `errors` of a GraphQL JSON answer, or undefined when the body is not one. */
export function graphqlErrors(body: Buffer): GraphQLErrorShape[] | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { errors?: unknown };
    return Array.isArray(parsed.errors) ? (parsed.errors as GraphQLErrorShape[]) : undefined;
  } catch {
    return undefined;
  }
}

function maskedCrowd(r: ParsedResponse): boolean {
  const text = r.body.toString('utf8');
  return r.status === 500 && text.includes('OPERATION_FAILED') && CORRELATION.test(text);
}

function maskedGraphQL(r: ParsedResponse): boolean {
  const errors = graphqlErrors(r.body);
  return (
    errors !== undefined &&
    errors.length > 0 &&
    errors.every(
      (e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' && typeof e.extensions.correlationId === 'string',
    )
  );
}

/** How many masked internal errors (Crowd 500 OPERATION_FAILED, GraphQL INTERNAL_SERVER_ERROR) the answers hold. */
export function internalErrors(responses: readonly ParsedResponse[]): number {
  let n = 0;
  for (const r of responses) {
    if (maskedCrowd(r)) n++;
    else if ((graphqlErrors(r.body) ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) n++;
  }
  return n;
}

export function statusClass(r: ParsedResponse | undefined): string {
  return r === undefined ? 'none' : `${Math.floor(r.status / 100)}xx`;
}

/** The invariants a case's exchange breaks (empty when it keeps them all). */
export function checkExchange(c: FuzzCase, ex: Exchange): Finding[] {
  const findings: Finding[] = [];
  const first = ex.responses[0];
  if (ex.end === 'timeout')
    findings.push({
      kind: 'timeout',
      detail: `no end after ${Math.round(ex.ms)} ms (${ex.responses.length} answers, ${ex.bytesReceived} bytes received)`,
    });
  else if (c.expected !== undefined && ex.responses.length === 0 && !(c.oversized && ex.end === 'reset')) {
    findings.push({
      kind: 'no-answer',
      detail: `connection ${ex.end} without an answer after ${Math.round(ex.ms)} ms (${ex.bytesReceived} bytes received)`,
    });
  }
  ex.responses.forEach((r, i) => {
    const method = (c.methods[i] ?? 'GET').toUpperCase();
    const text = r.body.toString('utf8');
    const where = ex.responses.length > 1 ? `answer ${i + 1}: ` : '';
    if (r.status >= 500) {
      const ok =
        c.door === 'crowd'
          ? maskedCrowd(r)
          : c.door === 'graphql'
            ? maskedGraphQL(r)
            : c.door === 'raw'
              ? maskedCrowd(r) || maskedGraphQL(r)
              : false;
      if (!ok)
        findings.push({
          kind: 'unmasked-5xx',
          detail: `${where}${r.status} on the ${c.door} door: ${JSON.stringify(text.slice(0, 300))}`,
        });
    }
    if (STACK_FRAME.test(text))
      findings.push({ kind: 'stack-trace', detail: `${where}${r.status}: ${JSON.stringify(text.slice(0, 300))}` });
    const errors = graphqlErrors(r.body);
    if (
      errors?.some(
        (e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' && typeof e.extensions.correlationId !== 'string',
      )
    ) {
      findings.push({
        kind: 'internal-without-id',
        detail: `${where}${r.status}: ${JSON.stringify(text.slice(0, 300))}`,
      });
    }
    if (c.door === 'crowd') {
      const known = KNOWN_GAPS.find((gap) => gap.matches(c, r))?.id;
      const gap = known ? { known } : {};
      if (!r.headers.has('x-embedded-crowd-version'))
        findings.push({
          kind: 'crowd-version-header',
          detail: `${where}${r.status} without X-Embedded-Crowd-Version: ${JSON.stringify(text.slice(0, 200))}`,
          ...gap,
        });
      if (
        r.status >= 400 &&
        r.status !== 401 &&
        r.status !== 403 &&
        method !== 'HEAD' &&
        !/<reason>[A-Z_]+<\/reason>|"reason"\s*:\s*"[A-Z_]+"/.test(text)
      ) {
        findings.push({
          kind: 'crowd-error-entity',
          detail: `${where}${r.status} is not a Crowd error entity: ${JSON.stringify(text.slice(0, 200))}`,
          ...gap,
        });
      }
    }
  });
  if (c.mustBeLimited && ex.end !== 'timeout') {
    const code = first ? graphqlErrors(first.body)?.[0]?.extensions?.code : undefined;
    if (!first || first.status !== 400 || code !== 'BAD_USER_INPUT') {
      findings.push({
        kind: 'not-limited',
        detail: `expected 400 BAD_USER_INPUT, got ${first ? `${first.status} ${String(code ?? '')} ${JSON.stringify(first.body.toString('utf8').slice(0, 160))}` : 'no answer'} after ${Math.round(ex.ms)} ms`,
      });
    }
  }
  return findings;
}
