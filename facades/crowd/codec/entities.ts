/**
 * Renderers for the Crowd entities, in XML (JAXB) and JSON (Jackson with JAXB names):
 * https://developer.atlassian.com/server/crowd/json-requests-and-responses/
 *
 * Contract (what Jira's strict JAXB client needs):
 * - elements in Crowd's JAXB order; `<active>` always written (a missing one means *inactive*);
 *   `first-name`, `last-name`, `display-name`, `email` always present, empty when unknown;
 *   the `password` element with its edit link and the `attributes` element with its self link
 *   always present, attribute entries only when attributes are expanded;
 * - a group always carries `<type>GROUP</type>`, `<active>` and `<description>`;
 * - dates: `xsd:dateTime` in XML, epoch milliseconds in JSON; an unparseable date is omitted
 *   (JAXB would reject the whole document, Jackson would give garbage);
 * - JSON keys are the XML names; lists are arrays under `users` / `groups` / `attributes`;
 * - every string goes through `escapeXmlText` / `escapeXmlAttribute`, so output is always well
 *   formed; XML documents start with the JAXB prologue; output is compact (no indentation).
 */
import type { AttributeView, CrowdGroupView, CrowdUserView, GroupListEntry, UserListEntry } from '../graphql-types';
import { groupLinks, type LinkBase, userLinks } from './links';
import { escapeXmlAttribute, stripNonValidXmlCharacters, XML_PROLOGUE, xmlTextElement } from './xml';

export type { LinkBase } from './links';

export type WireFormat = 'xml' | 'json';

/** `expand=user` (or `group`) → `entity`; `expand=attributes` → `attributes`. */
export interface Expansion {
  entity: boolean;
  attributes: boolean;
}

/**
 * A streaming list document: `start() + item(a) + item(b) + … + end()` is the whole document.
 * A writer is stateful (JSON commas) and serves one document.
 */
export interface ListWriter<T> {
  start(): string;
  item(value: T): string;
  end(): string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// Shared pieces

function xmlLink(rel: 'self' | 'edit', href: string): string {
  return `<link rel="${rel}" href="${escapeXmlAttribute(href)}"/>`;
}

function jsonLink(rel: 'self' | 'edit', href: string): JsonObject {
  return { rel, href };
}

const XSD_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?$/;

/**
 * The ISO string as given when it is already an `xsd:dateTime`, else normalised; undefined if unparseable.
 * ISO's extended years (`+010000`, `-000001`, as `toISOString` writes years outside 0–9999) become
 * xsd's `10000` and `-0001`: xsd:dateTime has no `+` and no leading zeros beyond four digits.
 */
function xmlDate(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const out = XSD_DATE_TIME.test(iso) ? iso : new Date(ms).toISOString();
  return out.replace(/^([+-]?)0*(\d{4,})/, (_, sign: string, year: string) => `${sign === '-' ? '-' : ''}${year}`);
}

function jsonDate(iso: string): number | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

interface AttributeLinks {
  list: string;
  entry: (name: string) => string;
}

/** `<attributes> attribute* <link rel="self"/> </attributes>`. */
function xmlAttributes(attributes: readonly AttributeView[] | undefined, links: AttributeLinks): string {
  let out = '<attributes>';
  for (const a of attributes ?? []) {
    out += `<attribute name="${escapeXmlAttribute(a.name)}">${xmlLink('self', links.entry(a.name))}<values>`;
    for (const v of a.values) out += xmlTextElement('value', v);
    out += '</values></attribute>';
  }
  return `${out}${xmlLink('self', links.list)}</attributes>`;
}

function jsonAttributes(attributes: readonly AttributeView[] | undefined, links: AttributeLinks): JsonObject {
  return {
    link: jsonLink('self', links.list),
    attributes: (attributes ?? []).map((a) => ({
      link: jsonLink('self', links.entry(a.name)),
      name: a.name,
      values: [...a.values],
    })),
  };
}

/** The attributes to write: none unless expanded (the element itself is always written). */
function expandedAttributes(
  view: { attributes?: AttributeView[] | null },
  expand: boolean,
): AttributeView[] | undefined {
  return expand ? (view.attributes ?? []) : undefined;
}

// ---------------------------------------------------------------------------------------------
// User

function userAttributeLinks(links: LinkBase, name: string): AttributeLinks {
  return { list: userLinks.attributes(links, name), entry: (a) => userLinks.attribute(links, name, a) };
}

/** The `<user>` element without prologue. */
export function userXml(user: CrowdUserView, links: LinkBase, expandAttributes: boolean): string {
  const created = xmlDate(user.createdAt);
  const updated = xmlDate(user.updatedAt);
  return (
    `<user expand="attributes" name="${escapeXmlAttribute(user.name)}">` +
    xmlLink('self', userLinks.self(links, user.name)) +
    xmlTextElement('first-name', user.firstName ?? '') +
    xmlTextElement('last-name', user.lastName ?? '') +
    xmlTextElement('display-name', user.displayName ?? '') +
    xmlTextElement('email', user.email ?? '') +
    `<password>${xmlLink('edit', userLinks.password(links, user.name))}</password>` +
    xmlTextElement('key', user.key) +
    (created === undefined ? '' : xmlTextElement('created-date', created)) +
    (updated === undefined ? '' : xmlTextElement('updated-date', updated)) +
    `<active>${user.active ? 'true' : 'false'}</active>` +
    xmlAttributes(expandedAttributes(user, expandAttributes), userAttributeLinks(links, user.name)) +
    '</user>'
  );
}

/** The user as a JSON object (keys in the XML order). */
export function userJson(user: CrowdUserView, links: LinkBase, expandAttributes: boolean): JsonObject {
  const out: JsonObject = {
    expand: 'attributes',
    link: jsonLink('self', userLinks.self(links, user.name)),
    name: user.name,
    'first-name': user.firstName ?? '',
    'last-name': user.lastName ?? '',
    'display-name': user.displayName ?? '',
    email: user.email ?? '',
    password: { link: jsonLink('edit', userLinks.password(links, user.name)) },
    key: user.key,
  };
  const created = jsonDate(user.createdAt);
  const updated = jsonDate(user.updatedAt);
  if (created !== undefined) out['created-date'] = created;
  if (updated !== undefined) out['updated-date'] = updated;
  out.active = user.active;
  out.attributes = jsonAttributes(expandedAttributes(user, expandAttributes), userAttributeLinks(links, user.name));
  return out;
}

/** Minimal user of unexpanded lists ("minimal user"): name and self link. */
function minimalUserXml(name: string, links: LinkBase): string {
  return `<user name="${escapeXmlAttribute(name)}">${xmlLink('self', userLinks.self(links, name))}</user>`;
}

export function minimalUserJson(name: string, links: LinkBase): JsonObject {
  return { link: jsonLink('self', userLinks.self(links, name)), name };
}

export function renderUser(
  user: CrowdUserView,
  format: WireFormat,
  links: LinkBase,
  expandAttributes: boolean,
): string {
  return format === 'xml'
    ? XML_PROLOGUE + userXml(user, links, expandAttributes)
    : JSON.stringify(userJson(user, links, expandAttributes));
}

// ---------------------------------------------------------------------------------------------
// Group

function groupAttributeLinks(links: LinkBase, name: string): AttributeLinks {
  return { list: groupLinks.attributes(links, name), entry: (a) => groupLinks.attribute(links, name, a) };
}

/** The `<group>` element without prologue. */
export function groupXml(group: CrowdGroupView, links: LinkBase, expandAttributes: boolean): string {
  return (
    `<group expand="attributes" name="${escapeXmlAttribute(group.name)}">` +
    xmlLink('self', groupLinks.self(links, group.name)) +
    xmlTextElement('description', group.description ?? '') +
    '<type>GROUP</type>' +
    `<active>${group.active ? 'true' : 'false'}</active>` +
    xmlAttributes(expandedAttributes(group, expandAttributes), groupAttributeLinks(links, group.name)) +
    '</group>'
  );
}

export function groupJson(group: CrowdGroupView, links: LinkBase, expandAttributes: boolean): JsonObject {
  return {
    expand: 'attributes',
    link: jsonLink('self', groupLinks.self(links, group.name)),
    name: group.name,
    description: group.description ?? '',
    type: 'GROUP',
    active: group.active,
    attributes: jsonAttributes(expandedAttributes(group, expandAttributes), groupAttributeLinks(links, group.name)),
  };
}

function minimalGroupXml(name: string, links: LinkBase): string {
  return `<group name="${escapeXmlAttribute(name)}">${xmlLink('self', groupLinks.self(links, name))}</group>`;
}

function minimalGroupJson(name: string, links: LinkBase): JsonObject {
  return { link: jsonLink('self', groupLinks.self(links, name)), name };
}

export function renderGroup(
  group: CrowdGroupView,
  format: WireFormat,
  links: LinkBase,
  expandAttributes: boolean,
): string {
  return format === 'xml'
    ? XML_PROLOGUE + groupXml(group, links, expandAttributes)
    : JSON.stringify(groupJson(group, links, expandAttributes));
}

// ---------------------------------------------------------------------------------------------
// Attribute lists (GET /user/attribute, GET /group/attribute)

export function renderUserAttributes(
  name: string,
  attributes: readonly AttributeView[],
  format: WireFormat,
  links: LinkBase,
): string {
  const l = userAttributeLinks(links, name);
  return format === 'xml' ? XML_PROLOGUE + xmlAttributes(attributes, l) : JSON.stringify(jsonAttributes(attributes, l));
}

export function renderGroupAttributes(
  name: string,
  attributes: readonly AttributeView[],
  format: WireFormat,
  links: LinkBase,
): string {
  const l = groupAttributeLinks(links, name);
  return format === 'xml' ? XML_PROLOGUE + xmlAttributes(attributes, l) : JSON.stringify(jsonAttributes(attributes, l));
}

// ---------------------------------------------------------------------------------------------
// Error

/** `<error><reason/><message/></error>` or `{"reason","message"}`; the message is XML-sanitised in both. */
export function renderError(reason: string, message: string, format: WireFormat): string {
  const clean = stripNonValidXmlCharacters(message);
  return format === 'xml'
    ? `${XML_PROLOGUE}<error>${xmlTextElement('reason', reason)}${xmlTextElement('message', clean)}</error>`
    : JSON.stringify({ reason, message: clean });
}

// ---------------------------------------------------------------------------------------------
// Lists

interface ListShape<T> {
  /** Element / JSON key of the list and the value of its `expand` attribute. */
  list: 'users' | 'groups';
  expand: 'user' | 'group';
  xml: (value: T) => string;
  json: (value: T) => JsonObject;
}

function listWriter<T>(format: WireFormat, shape: ListShape<T>): ListWriter<T> {
  if (format === 'xml') {
    return {
      start: () => `${XML_PROLOGUE}<${shape.list} expand="${shape.expand}">`,
      item: shape.xml,
      end: () => `</${shape.list}>`,
    };
  }
  let first = true;
  return {
    start: () => `{"expand":"${shape.expand}","${shape.list}":[`,
    item: (value) => {
      const json = JSON.stringify(shape.json(value));
      if (first) {
        first = false;
        return json;
      }
      return `,${json}`;
    },
    end: () => ']}',
  };
}

/**
 * `<users expand="user">` / `{"expand":"user","users":[…]}`; minimal entries unless `expand.entity`.
 * With `expand.entity` the entries are whole users: the operation ran with `$entity`, which
 * includes the `CrowdUser` fragment.
 */
export function userListWriter(format: WireFormat, links: LinkBase, expand: Expansion): ListWriter<UserListEntry> {
  return listWriter<UserListEntry>(format, {
    list: 'users',
    expand: 'user',
    xml: expand.entity
      ? (u) => userXml(u as CrowdUserView, links, expand.attributes)
      : (u) => minimalUserXml(u.name, links),
    json: expand.entity
      ? (u) => userJson(u as CrowdUserView, links, expand.attributes)
      : (u) => minimalUserJson(u.name, links),
  });
}

/** `<groups expand="group">` / `{"expand":"group","groups":[…]}`; whole groups only with `expand.entity`, as users. */
export function groupListWriter(format: WireFormat, links: LinkBase, expand: Expansion): ListWriter<GroupListEntry> {
  return listWriter<GroupListEntry>(format, {
    list: 'groups',
    expand: 'group',
    xml: expand.entity
      ? (g) => groupXml(g as CrowdGroupView, links, expand.attributes)
      : (g) => minimalGroupXml(g.name, links),
    json: expand.entity
      ? (g) => groupJson(g as CrowdGroupView, links, expand.attributes)
      : (g) => minimalGroupJson(g.name, links),
  });
}

// ---------------------------------------------------------------------------------------------
// Memberships (`GET /group/membership`, XML only)

/** One `<membership>` of `/group/membership`: a group with its direct users and child groups. */
export interface CrowdMembershipView {
  group: string;
  users: string[];
  groups: string[];
}

/**
 * `<memberships><membership group="g"><users><user name="u"/></users><groups><group name="c"/>
 * </groups></membership>…</memberships>`. `<users>` and `<groups>` are always written, empty as
 * `<users/>` / `<groups/>` (python-crowd crashes without them).
 */
export function membershipsWriter(): ListWriter<CrowdMembershipView> {
  return {
    start: () => `${XML_PROLOGUE}<memberships>`,
    item: (m) =>
      `<membership group="${escapeXmlAttribute(m.group)}">` +
      nameList('users', 'user', m.users) +
      nameList('groups', 'group', m.groups) +
      '</membership>',
    end: () => '</memberships>',
  };
}

function nameList(list: 'users' | 'groups', entry: 'user' | 'group', names: readonly string[]): string {
  if (names.length === 0) return `<${list}/>`;
  let out = `<${list}>`;
  for (const name of names) out += `<${entry} name="${escapeXmlAttribute(name)}"/>`;
  return `${out}</${list}>`;
}
