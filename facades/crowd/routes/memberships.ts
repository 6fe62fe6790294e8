import type { Readable } from 'node:stream';
import { DirectoryError } from '../../../src/domain/errors';
import { foldName } from '../../../src/domain/names';
import { groupListWriter, membershipsWriter, renderGroup, renderUser, userListWriter } from '../codec/entities';
import type { ConnectionView, CrowdGroupView, CrowdMembershipView, CrowdUserView } from '../graphql-types';
import { streamList } from '../paging-stream';
import { ALL_RESULTS, expansions, paging, param, requiredParam, runAs, type CrowdCall } from '../request';

type NodeList<T> = { nodes: T[] };

/**
 * GET /user/group/direct?username=U [&groupname=G] — the user's direct groups, or with `groupname`
 * the group entity when U is a direct member and 404 MEMBERSHIP_NOT_FOUND otherwise
 * (crowd-rest.md §3.1, checklist item 12).
 */
export async function getUserDirectGroups(call: CrowdCall): Promise<string | Readable> {
  const name = requiredParam(call.ctx, 'username');
  const member = param(call.ctx, 'groupname');
  const expand = expansions(call.ctx);
  const attributes = expand.has('attributes');
  const entity = expand.has('group') || member !== undefined;
  const load = async (first: number | null, offset: number) => {
    const data = await runAs<{ user: { groups: NodeList<CrowdGroupView> } | null }>(call, 'CrowdUserDirectGroups', {
      name,
      first,
      offset,
      entity,
      attributes,
    });
    if (!data.user) throw new DirectoryError('USER_NOT_FOUND', `User <${name}> does not exist`);
    return data.user.groups.nodes;
  };
  if (member !== undefined) {
    const group = (await load(null, 0)).find((g) => foldName(g.name) === foldName(member));
    if (!group) throw new DirectoryError('MEMBERSHIP_NOT_FOUND', `User <${name}> is not a direct member of group <${member}>`);
    return renderGroup(group, call.format, call.links, attributes);
  }
  const pages = paging(call.ctx);
  const nodes = await load(pages.maxResults === ALL_RESULTS ? null : pages.maxResults, pages.startIndex);
  return streamList(groupListWriter(call.format, call.links, { entity, attributes }), { startIndex: 0, maxResults: ALL_RESULTS }, async () => ({
    nodes,
    endCursor: null,
    hasNextPage: false,
  }));
}

/**
 * GET /group/user/direct?groupname=G [&username=U] — the group's direct user members, or with
 * `username` the user entity when U is a direct member and 404 MEMBERSHIP_NOT_FOUND otherwise.
 */
export async function getGroupDirectUsers(call: CrowdCall): Promise<string | Readable> {
  const name = requiredParam(call.ctx, 'groupname');
  const member = param(call.ctx, 'username');
  const expand = expansions(call.ctx);
  const attributes = expand.has('attributes');
  const entity = expand.has('user') || member !== undefined;
  const load = async (first: number | null, offset: number) => {
    const data = await runAs<{ group: { users: NodeList<CrowdUserView> } | null }>(call, 'CrowdGroupDirectUsers', {
      name,
      first,
      offset,
      entity,
      attributes,
    });
    if (!data.group) throw new DirectoryError('GROUP_NOT_FOUND', `Group <${name}> does not exist`);
    return data.group.users.nodes;
  };
  if (member !== undefined) {
    const user = (await load(null, 0)).find((u) => foldName(u.name) === foldName(member));
    if (!user) throw new DirectoryError('MEMBERSHIP_NOT_FOUND', `User <${member}> is not a direct member of group <${name}>`);
    return renderUser(user, call.format, call.links, attributes);
  }
  const pages = paging(call.ctx);
  const nodes = await load(pages.maxResults === ALL_RESULTS ? null : pages.maxResults, pages.startIndex);
  return streamList(userListWriter(call.format, call.links, { entity, attributes }), { startIndex: 0, maxResults: ALL_RESULTS }, async () => ({
    nodes,
    endCursor: null,
    hasNextPage: false,
  }));
}

interface MembershipGroupNode {
  name: string;
  users: NodeList<{ name: string }>;
  childGroups: NodeList<{ name: string }>;
}

/**
 * GET /group/membership — every group the application sees, with its direct users and child
 * groups; XML only, whatever `Accept` says (crowd-rest.md §3.2, CWD-3281), streamed page by page.
 */
export async function getMemberships(call: CrowdCall): Promise<Readable> {
  return streamList<CrowdMembershipView>(membershipsWriter(), { startIndex: 0, maxResults: ALL_RESULTS }, async (page) => {
    const data = await runAs<{ groups: ConnectionView<MembershipGroupNode> }>(call, 'CrowdMemberships', {
      first: page.first,
      after: page.after ?? null,
    });
    return {
      nodes: data.groups.nodes.map((g) => ({
        group: g.name,
        users: g.users.nodes.map((u) => u.name),
        groups: g.childGroups.nodes.map((c) => c.name),
      })),
      ...data.groups.pageInfo,
    };
  });
}
