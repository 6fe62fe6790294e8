import type { Readable } from 'node:stream';
import { DirectoryError } from '../../../src/domain/errors';
import { foldName } from '../../../src/domain/names';
import { groupListWriter, renderGroup, renderUser, userListWriter } from '../codec/entities';
import type { CrowdGroupView, CrowdUserView } from '../graphql-types';
import { streamList } from '../paging-stream';
import { ALL_RESULTS, expansions, paging, param, requiredParam, runAs, type CrowdCall } from '../request';

/**
 * The user↔group and group↔group resources of crowd-rest.md §3.1–3.2, direct and nested:
 *
 * | path | subject | member |
 * |---|---|---|
 * | /user/group/{direct,nested} | username | groupname |
 * | /group/user/{direct,nested} | groupname | username |
 * | /group/child-group/{direct,nested} | groupname | child-groupname |
 * | /group/parent-group/{direct,nested} | groupname | parent-groupname, or child-groupname (Crowd 2.4's name) |
 *
 * Without the member parameter: a list (paging, `expand=user|group[,attributes]`). With it: the
 * member entity when it is a member, else **404 MEMBERSHIP_NOT_FOUND** (never 400; checklist 12).
 * The check reads only member names (lean GraphQL list), then the one member entity by name.
 * An unknown subject is 404 USER_NOT_FOUND / GROUP_NOT_FOUND.
 */
export interface Relation {
  readonly subject: 'user' | 'group';
  readonly member: 'user' | 'group';
  readonly subjectParam: string;
  readonly memberParams: readonly string[];
  /** Operation listing entities, and the connection field it selects. */
  readonly listOperation: string;
  readonly listField: string;
  /**
   * Membership check: the operation listing names and its field, run from the side with the
   * shorter list. `subject`: the subject's member names hold the member. `member`: the member's
   * own list (its groups, its parents) holds the subject, e.g. "is carol in jira-software-users"
   * reads carol's few groups, not the group's 100k members.
   */
  readonly checkFrom: 'subject' | 'member';
  /** Operation and field listing the subject's member names, for lists without expand. */
  readonly listNamesOperation: string;
  readonly listNamesField: string;
  readonly namesOperation: string;
  readonly namesField: string;
  /** Words for messages: "direct member of group", "child group of", … */
  readonly describe: (subject: string, member: string, nested: boolean) => string;
}

const kind = (nested: boolean) => (nested ? 'nested' : 'direct');

export const RELATIONS = {
  userGroups: {
    subject: 'user',
    member: 'group',
    subjectParam: 'username',
    memberParams: ['groupname'],
    listOperation: 'CrowdUserGroups',
    listField: 'groups',
    checkFrom: 'subject',
    listNamesOperation: 'CrowdUserGroupNames',
    listNamesField: 'groupNames',
    namesOperation: 'CrowdUserGroupNames',
    namesField: 'groupNames',
    describe: (u, g, n) => `User <${u}> is not a ${kind(n)} member of group <${g}>`,
  },
  groupUsers: {
    subject: 'group',
    member: 'user',
    subjectParam: 'groupname',
    memberParams: ['username'],
    listOperation: 'CrowdGroupUsers',
    listField: 'users',
    checkFrom: 'member',
    listNamesOperation: 'CrowdGroupUserNames',
    listNamesField: 'userNames',
    namesOperation: 'CrowdUserGroupNames',
    namesField: 'groupNames',
    describe: (g, u, n) => `User <${u}> is not a ${kind(n)} member of group <${g}>`,
  },
  childGroups: {
    subject: 'group',
    member: 'group',
    subjectParam: 'groupname',
    memberParams: ['child-groupname'],
    listOperation: 'CrowdGroupChildGroups',
    listField: 'childGroups',
    checkFrom: 'member',
    listNamesOperation: 'CrowdGroupChildGroupNames',
    listNamesField: 'childGroupNames',
    namesOperation: 'CrowdGroupParentGroupNames',
    namesField: 'parentGroupNames',
    describe: (g, c, n) => `Group <${c}> is not a ${kind(n)} child group of group <${g}>`,
  },
  parentGroups: {
    subject: 'group',
    member: 'group',
    subjectParam: 'groupname',
    memberParams: ['parent-groupname', 'child-groupname'],
    listOperation: 'CrowdGroupParentGroups',
    listField: 'parentGroups',
    checkFrom: 'subject',
    listNamesOperation: 'CrowdGroupParentGroupNames',
    listNamesField: 'parentGroupNames',
    namesOperation: 'CrowdGroupParentGroupNames',
    namesField: 'parentGroupNames',
    describe: (g, p, n) => `Group <${p}> is not a ${kind(n)} parent group of group <${g}>`,
  },
} satisfies Record<string, Relation>;

type Entity = CrowdUserView | CrowdGroupView;

function notFound(subject: 'user' | 'group', name: string): DirectoryError {
  return subject === 'user'
    ? new DirectoryError('USER_NOT_FOUND', `User <${name}> does not exist`)
    : new DirectoryError('GROUP_NOT_FOUND', `Group <${name}> does not exist`);
}

export async function getRelation(call: CrowdCall, relation: Relation, nested: boolean): Promise<string | Readable> {
  const name = requiredParam(call, relation.subjectParam);
  const memberName = relation.memberParams.map((p) => param(call, p)).find((v) => v !== undefined && v !== '');
  const expand = expansions(call);
  const attributes = expand.has('attributes');

  if (memberName !== undefined) {
    const fromSubject = relation.checkFrom === 'subject';
    const side = fromSubject ? relation.subject : relation.member;
    const data = await runAs<Record<string, Record<string, string[]> | null>>(call, relation.namesOperation, {
      name: fromSubject ? name : memberName,
      nested,
    });
    const holder = data[side];
    if (!holder && fromSubject) throw notFound(relation.subject, name);
    const wanted = foldName(fromSubject ? memberName : name);
    const listed = (holder?.[relation.namesField] ?? []).find((n) => foldName(n) === wanted);
    if (listed === undefined) throw new DirectoryError('MEMBERSHIP_NOT_FOUND', relation.describe(name, memberName, nested));
    const canonical = fromSubject ? listed : memberName;
    if (relation.member === 'user') {
      const found = await runAs<{ user: CrowdUserView | null }>(call, 'CrowdUserByName', { name: canonical, attributes });
      if (!found.user) throw new DirectoryError('MEMBERSHIP_NOT_FOUND', relation.describe(name, memberName, nested));
      return renderUser(found.user, call.format, call.links, attributes);
    }
    const found = await runAs<{ group: CrowdGroupView | null }>(call, 'CrowdGroupByName', { name: canonical, attributes });
    if (!found.group) throw new DirectoryError('MEMBERSHIP_NOT_FOUND', relation.describe(name, memberName, nested));
    return renderGroup(found.group, call.format, call.links, attributes);
  }

  const entity = expand.has(relation.member);
  const pages = paging(call);
  const all = { startIndex: 0, maxResults: ALL_RESULTS };
  if (!entity) {
    // Minimal entries (name and link): read names only, then page them here.
    const data = await runAs<Record<string, Record<string, string[]> | null>>(call, relation.listNamesOperation, { name, nested });
    const subject = data[relation.subject];
    if (!subject) throw notFound(relation.subject, name);
    const listed = subject[relation.listNamesField]!;
    const end = pages.maxResults === ALL_RESULTS ? listed.length : pages.startIndex + pages.maxResults;
    const slice = listed.slice(pages.startIndex, end).map((n) => ({ name: n }) as Entity);
    const single = async () => ({ nodes: slice, endCursor: null, hasNextPage: false });
    return relation.member === 'user'
      ? streamList(userListWriter(call.format, call.links, { entity, attributes }), all, single as () => Promise<{ nodes: CrowdUserView[]; endCursor: null; hasNextPage: false }>)
      : streamList(groupListWriter(call.format, call.links, { entity, attributes }), all, single as () => Promise<{ nodes: CrowdGroupView[]; endCursor: null; hasNextPage: false }>);
  }
  const data = await runAs<Record<string, Record<string, { nodes: Entity[] }> | null>>(call, relation.listOperation, {
    name,
    nested,
    first: pages.maxResults === ALL_RESULTS ? null : pages.maxResults,
    offset: pages.startIndex,
    entity,
    attributes,
  });
  const subject = data[relation.subject];
  if (!subject) throw notFound(relation.subject, name);
  const nodes = subject[relation.listField]!.nodes;
  const single = async () => ({ nodes, endCursor: null, hasNextPage: false });
  return relation.member === 'user'
    ? streamList(userListWriter(call.format, call.links, { entity, attributes }), all, single as () => Promise<{ nodes: CrowdUserView[]; endCursor: null; hasNextPage: false }>)
    : streamList(groupListWriter(call.format, call.links, { entity, attributes }), all, single as () => Promise<{ nodes: CrowdGroupView[]; endCursor: null; hasNextPage: false }>);
}
