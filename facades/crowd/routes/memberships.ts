import type { Readable } from 'node:stream';
import { membershipsWriter, type CrowdMembershipView } from '../codec/entities';
import { streamList } from '../paging-stream';
import { ALL_RESULTS, runAs, type CrowdCall } from '../request';
import { CrowdMembershipsDocument } from '../generated/operations';

/**
 * Groups per page. The first page is small so the first byte leaves quickly (Jira's read timeout
 * is generous, but a stalled start looks like a hang); later pages are larger for throughput but
 * bounded, since a page holds its groups' member names in memory until written.
 */
const MEMBERSHIP_FIRST_PAGE = 20;
const MEMBERSHIP_PAGE = 100;

/**
 * GET /group/membership — every group the application sees, with its direct users and child
 * groups; XML only, whatever `Accept` says (Crowd's CWD-3281), streamed page by page.
 * Reads member *names* only (the lean `userNames` / `childGroupNames` fields), never entities.
 */
export async function getMemberships(call: CrowdCall): Promise<Readable> {
  const sizes = { first: MEMBERSHIP_FIRST_PAGE, next: MEMBERSHIP_PAGE };
  return streamList<CrowdMembershipView>(
    membershipsWriter(),
    { startIndex: 0, maxResults: ALL_RESULTS },
    async (page) => {
      const first = page.after === undefined ? sizes.first : sizes.next;
      const data = await runAs(call, CrowdMembershipsDocument, { first, after: page.after ?? null });
      return {
        nodes: data.groups.nodes.map((g) => ({ group: g.name, users: g.userNames, groups: g.childGroupNames })),
        ...data.groups.pageInfo,
      };
    },
  );
}
