import { JSON_HEADERS, type GraphCall } from './context';
import { GraphError, type RequestIds } from './errors';
import type { Reply } from './http';
import { errorReply, requestIds, type GraphRouter } from './graph-router';

/**
 * POST /v1.0/$batch (learn.microsoft.com/graph/json-batching):
 * - body `{ requests: [{ id, method, url, headers?, body?, dependsOn? }] }`, at most 20 requests,
 *   ids unique case-insensitively; a malformed batch is one 400 for the whole batch;
 * - item urls are relative to the version ("/users?$top=5"), with or without a leading "/v1.0"
 *   (the JS SDK's BatchRequestContent keeps it), or absolute;
 * - the outer status is 200 whatever the items do; each item is authorised with the outer token
 *   and throttled on its own (its own 429 + Retry-After in the item's headers);
 * - an item whose dependency failed (status ≥ 400, or itself 424) answers 424 without running;
 * - responses come in reverse order of the request, to keep clients from relying on order.
 */
export const MAX_BATCH_REQUESTS = 20;

interface BatchItem {
  readonly id: string;
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
  readonly dependsOn: readonly string[];
}

export function runBatch(router: GraphRouter, outer: GraphCall, outerIds: RequestIds): Reply {
  let items: BatchItem[];
  try {
    items = parseItems(outer.body);
  } catch (error) {
    if (error instanceof GraphError) return errorReply(error, outerIds, {});
    throw error;
  }
  const results = new Map<string, { status: number; text: string }>();
  const pending = [...items];
  while (pending.length > 0) {
    const index = pending.findIndex((item) => item.dependsOn.every((d) => results.has(d.toLowerCase())));
    if (index < 0) return errorReply(invalid('The dependsOn graph of the batch contains a cycle.'), outerIds, {});
    const item = pending.splice(index, 1)[0] as BatchItem;
    const failedDependency = item.dependsOn.some((d) => (results.get(d.toLowerCase())?.status ?? 200) >= 400);
    const reply = failedDependency ? dependencyFailed(item) : runItem(router, outer, item);
    results.set(item.id.toLowerCase(), { status: reply.status, text: responseJson(item.id, reply) });
  }
  const ordered = items.map((item) => (results.get(item.id.toLowerCase()) as { text: string }).text).reverse();
  return { status: 200, headers: { ...JSON_HEADERS }, body: `{"responses":[${ordered.join(',')}]}` };
}

function invalid(message: string): GraphError {
  return new GraphError(400, 'BadRequest', message);
}

function parseItems(body: string | null): BatchItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    throw invalid('Invalid batch payload format.');
  }
  const requests = (parsed as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests)) throw invalid('Invalid batch payload format.');
  if (requests.length === 0) throw invalid('Invalid batch payload format: the batch contains no requests.');
  if (requests.length > MAX_BATCH_REQUESTS)
    throw invalid(`Number of requests inside batch exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  const seen = new Set<string>();
  const items = requests.map((raw: unknown): BatchItem => {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (
      typeof r['id'] !== 'string' ||
      r['id'] === '' ||
      typeof r['method'] !== 'string' ||
      typeof r['url'] !== 'string'
    ) {
      throw invalid('Invalid batch payload format: each request needs id, method and url.');
    }
    const id = r['id'];
    if (seen.has(id.toLowerCase())) throw invalid(`Batch request id '${id}' is not unique.`);
    seen.add(id.toLowerCase());
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((r['headers'] ?? {}) as Record<string, unknown>))
      headers[k.toLowerCase()] = String(v);
    const dependsOn = Array.isArray(r['dependsOn']) ? (r['dependsOn'] as unknown[]).map(String) : [];
    return { id, method: r['method'].toUpperCase(), url: r['url'], headers, body: r['body'], dependsOn };
  });
  for (const item of items) {
    for (const d of item.dependsOn)
      if (!seen.has(d.toLowerCase())) throw invalid(`Request '${item.id}' depends on unknown request '${d}'.`);
  }
  return items;
}

function runItem(router: GraphRouter, outer: GraphCall, item: BatchItem): Reply {
  const ids = requestIds(item.headers);
  let url = item.url;
  const absolute = /^https?:\/\/[^/]+(\/.*)$/i.exec(url);
  if (absolute) url = absolute[1] as string;
  if (!url.startsWith('/')) url = `/${url}`;
  url = url.replace(/^\/(v1\.0|beta)(?=\/|$|\?)/i, '');
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path === '/$batch') return errorReply(invalid('Nested batch requests are not supported.'), ids, {});
  const call = router.makeCall(
    {
      method: item.method,
      path: path === '' ? '/' : path,
      rawQuery: q < 0 ? '' : url.slice(q + 1),
      headers: item.headers,
      body: item.body === undefined ? null : JSON.stringify(item.body),
    },
    outer.claims,
  );
  return router.dispatch(call, ids);
}

function dependencyFailed(item: BatchItem): Reply {
  const ids = requestIds(item.headers);
  return errorReply(
    new GraphError(424, 'FailedDependency', `A request that request '${item.id}' depends on failed.`),
    ids,
    {},
  );
}

/** One entry of `responses`; a JSON item body is embedded as is, any other as a string. */
function responseJson(id: string, reply: Reply): string {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(reply.headers)) if (k.toLowerCase() !== 'content-length') headers[k] = v;
  const contentType = Object.entries(reply.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
  const body = reply.body === null ? null : contentType.includes('json') ? reply.body : JSON.stringify(reply.body);
  return `{"id":${JSON.stringify(id)},"status":${reply.status},"headers":${JSON.stringify(headers)}${body === null ? '' : `,"body":${body}`}}`;
}
