import type { GraphClient } from './client';
import { describeRequest, GraphFailure } from './errors';
import { isGraphObject, type GraphObject } from './mapper';

/**
 * Paged collections (https://learn.microsoft.com/en-us/graph/paging): follow `@odata.nextLink` until it is absent; a page may be empty
 * and still carry a next link. Delta rounds end with `@odata.deltaLink` instead.
 */
export interface GraphPage {
  readonly values: GraphObject[];
  readonly nextLink: string | undefined;
  readonly deltaLink: string | undefined;
}

export function parsePage(body: unknown, request: string): GraphPage {
  const b = body as { value?: unknown; '@odata.nextLink'?: unknown; '@odata.deltaLink'?: unknown } | null;
  if (!b || !Array.isArray(b.value))
    throw new GraphFailure(200, 'InvalidResponse', 'the answer is not a collection page', request);
  const values = (b.value as unknown[]).filter(isGraphObject);
  const nextLink = typeof b['@odata.nextLink'] === 'string' ? b['@odata.nextLink'] : undefined;
  const deltaLink = typeof b['@odata.deltaLink'] === 'string' ? b['@odata.deltaLink'] : undefined;
  return { values, nextLink, deltaLink };
}

/**
 * Every page of a collection, in order. The next page is requested as soon as the current one
 * arrived, while the caller works on it (one page of read-ahead). Any failure throws: a listing is
 * never cut short silently.
 */
export async function* pages(client: GraphClient, url: string): AsyncGenerator<GraphPage> {
  const fetchPage = async (link: string): Promise<GraphPage> =>
    parsePage(await client.get(link), describeRequest('GET', link));
  let pending: Promise<GraphPage> | undefined = fetchPage(url);
  try {
    while (pending) {
      const page: GraphPage = await pending;
      pending = page.nextLink !== undefined ? fetchPage(page.nextLink) : undefined;
      yield page;
    }
  } finally {
    // The caller stopped early: the read-ahead's outcome no longer matters.
    pending?.catch(() => undefined);
  }
}
