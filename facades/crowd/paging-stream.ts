import { Readable } from 'node:stream';
import type { ListWriter } from './codec/entities';
import { ALL_RESULTS, type Paging } from './request';

/** Page size used when the facade walks a large result through GraphQL. */
const STREAM_PAGE_SIZE = 1000;
/** The first page is smaller, so the first byte leaves quickly (≤ 200 ms goal on 100k users). */
const FIRST_PAGE_SIZE = 100;

export interface PageResult<T> {
  nodes: readonly T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Fetches one page: the first with `offset`, later ones with `after`. */
export type PageFetcher<T> = (page: { first: number; offset?: number; after?: string }) => Promise<PageResult<T>>;

/**
 * Produces a list document page by page: the first page is read before anything is sent (so a
 * bad request still gets a proper error status), later pages are read as the socket drains, so
 * memory stays flat however large the answer (`max-results=-1` on 100k users). A failure after
 * the first page destroys the stream: the client sees a truncated answer, never a short list
 * that looks complete, and the router logs the error with a correlation id (the status line is
 * gone by then, so the id cannot reach the client).
 */
export async function streamList<T>(writer: ListWriter<T>, paging: Paging, fetch: PageFetcher<T>): Promise<Readable> {
  let remaining = paging.maxResults === ALL_RESULTS ? Number.POSITIVE_INFINITY : paging.maxResults;
  const firstSize = Math.min(FIRST_PAGE_SIZE, remaining);
  const first = await fetch({ first: firstSize, ...(paging.startIndex > 0 ? { offset: paging.startIndex } : {}) });

  async function* chunks(): AsyncGenerator<string> {
    let page: PageResult<T> = first;
    yield writer.start();
    for (;;) {
      let text = '';
      for (const node of page.nodes) text += writer.item(node);
      if (text !== '') yield text;
      remaining -= page.nodes.length;
      if (!page.hasNextPage || remaining <= 0 || page.endCursor === null) break;
      page = await fetch({ first: Math.min(STREAM_PAGE_SIZE, remaining), after: page.endCursor });
    }
    yield writer.end();
  }
  return Readable.from(chunks(), { objectMode: false });
}
