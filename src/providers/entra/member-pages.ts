import type { BatchQueue } from './batch';
import type { GraphClient } from './client';
import { describeRequest, GraphFailure } from './errors';
import { parsePage } from './paging';
import { appendMembers, emptyMembers, type Interner, type MemberList } from './member-list';

/**
 * One group's direct members from `GET /groups/{id}/members?$select=id` (https://learn.microsoft.com/en-us/graph/api/group-list-members),
 * each page an item of a `$batch` (batch.ts), next links followed to the end.
 *
 * Cost (https://learn.microsoft.com/en-us/graph/throttling-limits): 3 RU, 2 with $select, 1 with $top < 20 as well. Most groups are
 * small, so a group of unknown size is first read with `$top=19` (`PROBE_TOP`); when that page
 * has a next link the group is re-read with `$top=999` (the page maximum, https://learn.microsoft.com/en-us/graph/paging). Sizes seen
 * are kept (`sizes`) so the next reader starts big groups at `$top=999`.
 * A group deleted since it was listed (404) has no members.
 */
export const PROBE_TOP = 19;
export const PAGE_TOP = 999;

export class GroupMemberPages {
  /** Member counts seen by this source; hand them to the next one as `previousSizes`. */
  readonly sizes = new Map<string, number>();

  constructor(
    private readonly queue: BatchQueue,
    private readonly client: GraphClient,
    private readonly ids: Interner,
    private readonly previousSizes: ReadonlyMap<string, number>,
  ) {}

  async read(groupId: string): Promise<MemberList> {
    const base = `/groups/${encodeURIComponent(groupId)}/members?$select=id`;
    const known = this.previousSizes.get(groupId);
    if (known === undefined || known <= PROBE_TOP) {
      const probe = emptyMembers();
      const next = await this.page(`${base}&$top=${PROBE_TOP}`, false, probe);
      if (next === null) return this.remember(groupId, probe);
    }
    const list = emptyMembers();
    let url: string | null = `${base}&$top=${PAGE_TOP}`;
    let priority = known !== undefined;
    while (url !== null) {
      url = await this.page(url, priority, list);
      priority = true;
    }
    return this.remember(groupId, list);
  }

  /** Adds one page of members to `list`; the next page's relative URL, or null at the end (or when the group is gone). */
  private async page(url: string, priority: boolean, list: MemberList): Promise<string | null> {
    const answer = await this.queue.get(url, priority);
    const request = `$batch ${describeRequest('GET', url)}`;
    if (answer.status === 404) {
      list.users.length = 0;
      list.groups.length = 0;
      return null;
    }
    if (answer.status < 200 || answer.status >= 300) throw itemFailure(answer.status, answer.body, request);
    const page = parsePage(answer.body, request);
    appendMembers(page.values, list, this.ids);
    return page.nextLink === undefined ? null : this.client.relative(page.nextLink);
  }

  private remember(groupId: string, list: MemberList): MemberList {
    this.sizes.set(groupId, list.users.length + list.groups.length);
    return list;
  }
}

/** A failed `$batch` item as a GraphFailure (the item body is a Graph error body). */
export function itemFailure(status: number, body: unknown, request: string): GraphFailure {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  return new GraphFailure(
    status,
    typeof error?.code === 'string' ? error.code : '',
    typeof error?.message === 'string' ? error.message : '',
    request,
  );
}
