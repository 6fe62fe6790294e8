import type DataLoader from 'dataloader';
import { foldName } from '../src/domain/names';
import type { AnswerBudget } from '../src/graphql/answer-budget';
import type { NamedRef, Page } from '../src/store/store';
import type { MemberListArgs } from './inputs/list.args';
import { encodeCursor, sliceRefs } from './pagination';
import type { ConnectionValue } from './types/connections.type';

/**
 * A connection over a name-ordered member list loaded by a DataLoader. The page's entries are
 * counted against the answer's budget (if the request has one) before the entities are loaded.
 */
export async function memberConnection<T>(
  refs: NamedRef[],
  args: MemberListArgs,
  byId: DataLoader<number, T | null>,
  answer: AnswerBudget | undefined,
): Promise<ConnectionValue<T>> {
  const page = sliceRefs(refs, args);
  answer?.spend(page.refs.length);
  const nodes: T[] = [];
  for (const node of await byId.loadMany(page.refs.map((r) => r.id))) {
    if (node instanceof Error) throw node;
    if (node !== null) nodes.push(node); // removed since the list was read: skip, never invent
  }
  return { nodes, pageInfo: page.pageInfo, countTotal: () => refs.length };
}

/** A connection over one page of a top-level search; the total is counted only when asked. */
export function searchConnection<T extends { name: string }>(
  page: Page<T>,
  count: () => Promise<number>,
  answer: AnswerBudget | undefined,
): ConnectionValue<T> {
  answer?.spend(page.items.length);
  const last = page.items[page.items.length - 1];
  return {
    nodes: page.items,
    pageInfo: { endCursor: last ? encodeCursor(foldName(last.name)) : null, hasNextPage: page.hasMore },
    countTotal: count,
  };
}
