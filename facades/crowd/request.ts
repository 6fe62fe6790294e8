import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Context } from 'koa';
import type { Readable } from 'node:stream';
import { DirectoryError } from '../../src/domain/errors';
import type { CrowdApplication } from './application-auth';
import type { LinkBase, WireFormat } from './codec/entities';
import type { CrowdOperations } from './operations';
import type { QueryParameters } from './query';

/** Everything a route needs about the current call, built once per request by the router. */
export interface CrowdCall {
  readonly ctx: Context;
  /**
   * The query parameters, parsed once by the router (query.ts).
   */
  readonly query: QueryParameters;
  readonly format: WireFormat;
  readonly links: LinkBase;
  readonly application: CrowdApplication;
  /** The caller's address (through trusted proxies only), for per-source rate limits. */
  readonly clientAddress: string;
  readonly operations: CrowdOperations;
}

/**
 * What a route answers: a document (200, negotiated content type), or a status with an optional
 * document and `Location` (201 creates, 204 deletes; https://docs.atlassian.com/atlassian-crowd/latest/REST/).
 */
export interface Reply {
  readonly status: number;
  readonly body?: string | Readable;
  readonly location?: string;
}
export type Answer = string | Readable | Reply;

export function isReply(answer: Answer): answer is Reply {
  return (
    typeof answer === 'object' && answer !== null && 'status' in answer && typeof (answer as Reply).status === 'number'
  );
}

/**
 * Runs a fixed operation (its generated document, generated/operations.ts) as the calling
 * application, scoped to its directories: the result and the variables are typed by the operation.
 */
export function runAs<Result, Variables extends { directories?: unknown }>(
  call: CrowdCall,
  operation: TypedDocumentNode<Result, Variables>,
  variables: Omit<Variables, 'directories'>,
): Promise<Result> {
  const scoped = { directories: call.application.directories, ...variables } as unknown as Variables;
  return call.operations.run(operation, scoped, `crowd:${call.application.name}`);
}

/** A query parameter, once (the first when repeated). */
export function param(call: CrowdCall, name: string): string | undefined {
  return call.query.get(name)?.[0];
}

export function requiredParam(call: CrowdCall, name: string): string {
  const value = param(call, name);
  if (value === undefined || value === '')
    throw new DirectoryError('INVALID_ARGUMENT', `${name} query parameter must be given`);
  return value;
}

/** Crowd's default page size (AbstractResource.DEFAULT_SEARCH_RESULT_SIZE); -1 means all. */
const DEFAULT_MAX_RESULTS = 1000;
export const ALL_RESULTS = -1;

export interface Paging {
  readonly startIndex: number;
  /** -1 for all results. */
  readonly maxResults: number;
}

/**
 * The largest `start-index` and `max-results`: Crowd reads both as a Java `int`, and GraphQL's
 * `Int` (the `offset` and `first` the facade passes on) is 32-bit too. Larger values are 400,
 * not an overflow deeper down.
 */
const MAX_PAGING_VALUE = 2_147_483_647;

/** `start-index` 0…2^31−1 and `max-results` 1…2^31−1 or exactly -1, else 400 (Crowd's EntityQuery rules). */
export function paging(call: CrowdCall): Paging {
  const startIndex = integerParam(call, 'start-index', 0);
  const maxResults = integerParam(call, 'max-results', DEFAULT_MAX_RESULTS);
  if (startIndex < 0) throw new DirectoryError('INVALID_ARGUMENT', 'start-index must not be negative');
  if (startIndex > MAX_PAGING_VALUE)
    throw new DirectoryError('INVALID_ARGUMENT', `start-index must be at most ${MAX_PAGING_VALUE}`);
  if (maxResults === 0 || maxResults < ALL_RESULTS) {
    throw new DirectoryError('INVALID_ARGUMENT', 'max-results must be greater than 0, or -1 for all results');
  }
  if (maxResults > MAX_PAGING_VALUE)
    throw new DirectoryError(
      'INVALID_ARGUMENT',
      `max-results must be at most ${MAX_PAGING_VALUE}, or -1 for all results`,
    );
  return { startIndex, maxResults };
}

/** An optional decimal integer (Java's `Integer.parseInt` syntax: an optional sign, digits). */
function integerParam(call: CrowdCall, name: string, fallback: number): number {
  const raw = param(call, name);
  if (raw === undefined || raw === '') return fallback;
  if (!/^[-+]?\d+$/.test(raw))
    throw new DirectoryError('INVALID_ARGUMENT', `${name} must be an integer, not "${raw.slice(0, 100)}"`);
  return Number(raw);
}

/** `expand` may be repeated or comma-separated (`expand=user,attributes`). */
export function expansions(call: CrowdCall): ReadonlySet<string> {
  const values = call.query.get('expand') ?? [];
  return new Set(
    values
      .flatMap((v) => v.split(','))
      .map((v) => v.trim().toLowerCase())
      .filter((v) => v !== ''),
  );
}
