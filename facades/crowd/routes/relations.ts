import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { Readable } from 'node:stream';
import { DirectoryError } from '../../../src/domain/errors';
import { foldName } from '../../../src/domain/names';
import {
  groupListWriter,
  renderGroup,
  renderUser,
  userListWriter,
  type Expansion,
  type LinkBase,
  type ListWriter,
  type WireFormat,
} from '../codec/entities';
import {
  CrowdGroupByNameDocument,
  CrowdGroupChildGroupNamesDocument,
  CrowdGroupChildGroupsDocument,
  CrowdGroupParentGroupNamesDocument,
  CrowdGroupParentGroupsDocument,
  CrowdGroupUserNamesDocument,
  CrowdGroupUsersDocument,
  CrowdUserByNameDocument,
  CrowdUserGroupNamesDocument,
  CrowdUserGroupsDocument,
  type CrowdUserGroupNamesQueryVariables,
  type CrowdUserGroupsQueryVariables,
} from '../generated/operations';
import type { GroupListEntry, UserListEntry } from '../graphql-types';
import { streamList } from '../paging-stream';
import { ALL_RESULTS, expansions, paging, param, requiredParam, runAs, type CrowdCall } from '../request';

/**
 * The user↔group and group↔group resources, direct and nested
 * (https://docs.atlassian.com/atlassian-crowd/latest/REST/):
 *
 * | path | subject | member |
 * |---|---|---|
 * | /user/group/{direct,nested} | username | groupname |
 * | /group/user/{direct,nested} | groupname | username |
 * | /group/child-group/{direct,nested} | groupname | child-groupname |
 * | /group/parent-group/{direct,nested} | groupname | parent-groupname, or child-groupname (Crowd 2.4's name) |
 *
 * Without the member parameter: a list (paging, `expand=user|group[,attributes]`). With it: the
 * member entity when it is a member, else **404 MEMBERSHIP_NOT_FOUND** (never 400).
 * The check reads only member names (lean GraphQL list), then the one member entity by name.
 * An unknown subject is 404 USER_NOT_FOUND / GROUP_NOT_FOUND.
 */
export interface Relation<Entry extends { name: string }> {
  readonly subject: 'user' | 'group';
  readonly member: MemberKind<Entry>;
  readonly subjectParam: string;
  readonly memberParams: readonly string[];
  /** The subject's members as list entries; undefined when the subject does not exist. */
  readonly entries: EntriesLookup<Entry>;
  /** The subject's member names, for lists without expand. */
  readonly names: NamesLookup;
  /**
   * Membership check, run from the side with the shorter list. `subject`: the subject's member
   * names hold the member. `member`: the member's own list (its groups, its parents) holds the
   * subject, e.g. "is carol in jira-software-users" reads carol's few groups, not the group's
   * 100k members.
   */
  readonly checkFrom: 'subject' | 'member';
  readonly checkNames: NamesLookup;
  /** Words for messages: "direct member of group", "child group of", … */
  readonly describe: (subject: string, member: string, nested: boolean) => string;
}

/** Names listed for `name` (its groups, its members, …); undefined when `name` does not exist. */
type NamesLookup = (call: CrowdCall, name: string, nested: boolean) => Promise<readonly string[] | undefined>;
type NamesVariables = CrowdUserGroupNamesQueryVariables;

type ListVariables = Omit<CrowdUserGroupsQueryVariables, 'directories'>;
type EntriesLookup<Entry> = (call: CrowdCall, variables: ListVariables) => Promise<readonly Entry[] | undefined>;

function namesFrom<Result>(
  document: TypedDocumentNode<Result, NamesVariables>,
  pick: (data: Result) => readonly string[] | undefined,
): NamesLookup {
  return async (call, name, nested) => pick(await runAs(call, document, { name, nested }));
}

function entriesFrom<Result, Entry>(
  document: TypedDocumentNode<Result, CrowdUserGroupsQueryVariables>,
  pick: (data: Result) => readonly Entry[] | undefined,
): EntriesLookup<Entry> {
  return async (call, variables) => pick(await runAs(call, document, variables));
}

/** What differs between user members and group members: the list document and the entity by name. */
interface MemberKind<Entry extends { name: string }> {
  readonly kind: 'user' | 'group';
  readonly listWriter: (format: WireFormat, links: LinkBase, expand: Expansion) => ListWriter<Entry>;
  /** The entity rendered, or undefined when there is none of that name. */
  readonly render: (call: CrowdCall, name: string, attributes: boolean) => Promise<string | undefined>;
}

const USER_MEMBERS: MemberKind<UserListEntry> = {
  kind: 'user',
  listWriter: userListWriter,
  render: async (call, name, attributes) => {
    const { user } = await runAs(call, CrowdUserByNameDocument, { name, attributes });
    return user ? renderUser(user, call.format, call.links, attributes) : undefined;
  },
};

const GROUP_MEMBERS: MemberKind<GroupListEntry> = {
  kind: 'group',
  listWriter: groupListWriter,
  render: async (call, name, attributes) => {
    const { group } = await runAs(call, CrowdGroupByNameDocument, { name, attributes });
    return group ? renderGroup(group, call.format, call.links, attributes) : undefined;
  },
};

const kind = (nested: boolean) => (nested ? 'nested' : 'direct');

const userGroupNames = namesFrom(CrowdUserGroupNamesDocument, (d) => d.user?.groupNames);
const parentGroupNames = namesFrom(CrowdGroupParentGroupNamesDocument, (d) => d.group?.parentGroupNames);

export const RELATIONS = {
  userGroups: {
    subject: 'user',
    member: GROUP_MEMBERS,
    subjectParam: 'username',
    memberParams: ['groupname'],
    entries: entriesFrom(CrowdUserGroupsDocument, (d) => d.user?.groups.nodes),
    names: userGroupNames,
    checkFrom: 'subject',
    checkNames: userGroupNames,
    describe: (u, g, n) => `User <${u}> is not a ${kind(n)} member of group <${g}>`,
  } satisfies Relation<GroupListEntry>,
  groupUsers: {
    subject: 'group',
    member: USER_MEMBERS,
    subjectParam: 'groupname',
    memberParams: ['username'],
    entries: entriesFrom(CrowdGroupUsersDocument, (d) => d.group?.users.nodes),
    names: namesFrom(CrowdGroupUserNamesDocument, (d) => d.group?.userNames),
    checkFrom: 'member',
    checkNames: userGroupNames,
    describe: (g, u, n) => `User <${u}> is not a ${kind(n)} member of group <${g}>`,
  } satisfies Relation<UserListEntry>,
  childGroups: {
    subject: 'group',
    member: GROUP_MEMBERS,
    subjectParam: 'groupname',
    memberParams: ['child-groupname'],
    entries: entriesFrom(CrowdGroupChildGroupsDocument, (d) => d.group?.childGroups.nodes),
    names: namesFrom(CrowdGroupChildGroupNamesDocument, (d) => d.group?.childGroupNames),
    checkFrom: 'member',
    checkNames: parentGroupNames,
    describe: (g, c, n) => `Group <${c}> is not a ${kind(n)} child group of group <${g}>`,
  } satisfies Relation<GroupListEntry>,
  parentGroups: {
    subject: 'group',
    member: GROUP_MEMBERS,
    subjectParam: 'groupname',
    memberParams: ['parent-groupname', 'child-groupname'],
    entries: entriesFrom(CrowdGroupParentGroupsDocument, (d) => d.group?.parentGroups.nodes),
    names: parentGroupNames,
    checkFrom: 'subject',
    checkNames: parentGroupNames,
    describe: (g, p, n) => `Group <${p}> is not a ${kind(n)} parent group of group <${g}>`,
  } satisfies Relation<GroupListEntry>,
};

function notFound(subject: 'user' | 'group', name: string): DirectoryError {
  return subject === 'user'
    ? new DirectoryError('USER_NOT_FOUND', `User <${name}> does not exist`)
    : new DirectoryError('GROUP_NOT_FOUND', `Group <${name}> does not exist`);
}

export async function getRelation<Entry extends { name: string }>(
  call: CrowdCall,
  relation: Relation<Entry>,
  nested: boolean,
): Promise<string | Readable> {
  const name = requiredParam(call, relation.subjectParam);
  const memberName = relation.memberParams.map((p) => param(call, p)).find((v) => v !== undefined && v !== '');
  const expand = expansions(call);
  const attributes = expand.has('attributes');

  if (memberName !== undefined) {
    const fromSubject = relation.checkFrom === 'subject';
    const names = await relation.checkNames(call, fromSubject ? name : memberName, nested);
    if (!names && fromSubject) throw notFound(relation.subject, name);
    const wanted = foldName(fromSubject ? memberName : name);
    const listed = (names ?? []).find((n) => foldName(n) === wanted);
    if (listed === undefined)
      throw new DirectoryError('MEMBERSHIP_NOT_FOUND', relation.describe(name, memberName, nested));
    const rendered = await relation.member.render(call, fromSubject ? listed : memberName, attributes);
    if (rendered === undefined)
      throw new DirectoryError('MEMBERSHIP_NOT_FOUND', relation.describe(name, memberName, nested));
    return rendered;
  }

  const entity = expand.has(relation.member.kind);
  const pages = paging(call);
  const writer = relation.member.listWriter(call.format, call.links, { entity, attributes });
  const all = { startIndex: 0, maxResults: ALL_RESULTS };
  if (!entity) {
    // Minimal entries (name and link): read names only, then page them here.
    const names = await relation.names(call, name, nested);
    if (!names) throw notFound(relation.subject, name);
    const end = pages.maxResults === ALL_RESULTS ? names.length : pages.startIndex + pages.maxResults;
    // Without $entity an entry is its name alone.
    const nodes = names.slice(pages.startIndex, end).map((n) => ({ name: n }) as Entry);
    return streamList(writer, all, async () => ({ nodes, endCursor: null, hasNextPage: false }));
  }
  const nodes = await relation.entries(call, {
    name,
    nested,
    first: pages.maxResults === ALL_RESULTS ? null : pages.maxResults,
    offset: pages.startIndex,
    entity,
    attributes,
  });
  if (!nodes) throw notFound(relation.subject, name);
  return streamList(writer, all, async () => ({ nodes, endCursor: null, hasNextPage: false }));
}
