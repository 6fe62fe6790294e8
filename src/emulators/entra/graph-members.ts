import { jsonReply, type GraphCall, type GraphEnv } from './context';
import type { MemberType } from './directory-index';
import { graphErrors } from './errors';
import type { Reply } from './http';
import { deviceSchema, orgContactSchema, project, userSchema, type EntitySchema } from './mapping';
import {
  collectionBody,
  eventual,
  metadataContext,
  nextLink,
  parseCount,
  parseSelect,
  parseTop,
  rejectUnsupported,
} from './odata';
import { decodeSkipToken, encodeSkipToken, keysetPage } from './paging';
import { PERMISSIONS, demand, hasAny } from './permissions';
import { projectionKey } from './json-cache';

/**
 * /groups/{id}/members and /groups/{id}/transitiveMembers (learn.microsoft.com/graph/api/group-list-members,
 * group-list-transitivemembers), optionally type-cast (`/microsoft.graph.user`) and counted (`/$count`).
 * Members are directoryObjects typed by `@odata.type`: users, groups, orgContacts and devices.
 * A contact or device the app may not read (no OrgContact.Read.All / Device.Read.All /
 * Directory.Read.All) comes back with only `@odata.type` and `id`, other properties null.
 */
const CASTS: Readonly<Record<string, MemberType>> = {
  'microsoft.graph.user': 'user',
  'microsoft.graph.group': 'group',
  'microsoft.graph.orgcontact': 'orgContact',
  'microsoft.graph.device': 'device',
};

export function listMembers(
  call: GraphCall,
  env: GraphEnv,
  groupId: string,
  transitive: boolean,
  tail: readonly string[],
): Reply {
  demand(call.granted, PERMISSIONS.readMembers);
  const group = env.state.groups.get(groupId);
  if (!group) throw graphErrors.notFound(groupId);
  let cast: MemberType | null = null;
  let rest = tail;
  if (rest.length > 0 && rest[0] !== '$count') {
    cast = CASTS[(rest[0] as string).toLowerCase()] ?? null;
    if (cast === null) throw graphErrors.noSegment(rest[0] as string);
    rest = rest.slice(1);
  }
  const all = transitive ? env.index.transitiveMemberIds(group) : env.index.memberIds(group);
  const ids = cast === null ? all : all.filter((id) => env.index.memberType(id) === cast);
  if (rest.length === 1 && rest[0] === '$count') {
    if (!eventual(call)) throw graphErrors.rawCountNeedsEventual();
    return { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: String(ids.length) };
  }
  if (rest.length > 0) throw graphErrors.noSegment(rest[0] as string);
  return memberPage(call, env, ids);
}

function memberPage(call: GraphCall, env: GraphEnv, ids: readonly string[]): Reply {
  rejectUnsupported(call, ['$select', '$top', '$skiptoken', '$count']);
  const count = parseCount(call);
  const schemas = [userSchema, env.groupSchema, orgContactSchema, deviceSchema] as const;
  const select = parseSelect(call.query.get('$select'), schemas as unknown as EntitySchema<never>[]);
  const top = parseTop(call.query.get('$top'));
  const token = call.query.get('$skiptoken');
  const page = keysetPage(ids, token === undefined ? null : decodeSkipToken(token), top);
  const renderer = memberRenderer(
    env,
    select,
    hasAny(call.granted, PERMISSIONS.readContacts),
    hasAny(call.granted, PERMISSIONS.readDevices),
  );
  const values: string[] = [];
  for (const id of page.ids) {
    const rendered = renderer(id);
    if (rendered !== null) values.push(rendered);
  }
  return jsonReply(
    collectionBody(metadataContext(env, 'directoryObjects'), values, {
      ...(count ? { count: ids.length } : {}),
      ...(page.after !== null ? { nextLink: nextLink(env, call, encodeSkipToken(page.after)) } : {}),
    }),
  );
}

/** Renders members as JSON text (null if one vanished meanwhile); projection keys computed once. */
export function memberRenderer(
  env: GraphEnv,
  select: readonly string[] | null,
  canContacts: boolean,
  canDevices: boolean,
): (id: string) => string | null {
  const userKey = projectionKey('user', true, select);
  const groupKey = projectionKey('group', true, select);
  return (id) => {
    const user = env.state.users.get(id);
    if (user) return env.json.get(userKey, id, () => JSON.stringify(project(userSchema, user, select, true)));
    const group = env.state.groups.get(id);
    if (group) return env.json.get(groupKey, id, () => JSON.stringify(project(env.groupSchema, group, select, true)));
    const contact = env.extras.contacts.get(id);
    if (contact)
      return JSON.stringify(
        canContacts ? project(orgContactSchema, contact, select, true) : redacted(orgContactSchema, id, select),
      );
    const device = env.extras.devices.get(id);
    if (device)
      return JSON.stringify(
        canDevices ? project(deviceSchema, device, select, true) : redacted(deviceSchema, id, select),
      );
    return null;
  };
}

function redacted<T>(schema: EntitySchema<T>, id: string, select: readonly string[] | null): Record<string, unknown> {
  const out: Record<string, unknown> = { '@odata.type': schema.odataType, id };
  for (const name of select ?? schema.defaults) if (name !== 'id' && schema.getters.has(name)) out[name] = null;
  return out;
}
