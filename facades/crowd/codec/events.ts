/**
 * The `/event` documents (EventEntityList and the *EventEntity classes; https://docs.atlassian.com/atlassian-crowd/latest/REST/).
 *
 * Contract:
 * - `GET /event`: `<events incrementalSynchronisationAvailable="true" newEventToken="T"/>`;
 * - `GET /event/{t}`: `<events newEventToken="NEXT">…</events>`, no availability attribute;
 * - `userEvent` / `groupEvent`: `<operation>` then the COMPLETE entity (`<active>` always written:
 *   the client's `addOrUpdateCachedUser` takes it as is, and a missing `<active>` is *inactive*);
 *   the entity is the snapshot recorded with the event, so it carries no dates;
 * - `userMembershipEvent` (UPDATED): `<childUser name>` with its self link, and `<parentGroups>`
 *   holding the user's complete direct groups (`syncGroupMembershipsForUser`);
 * - `groupMembershipEvent` (UPDATED): `<group name>`, complete `<parentGroups>` and `<childGroups>`.
 * JSON (not used by Jira; inferred from Jackson's JAXB names): `{"newEventToken", "events":[{
 * "type":"userEvent", "operation", "user"|…}]}`.
 */
import type { EventView } from '../graphql-types';
import {
  groupJson,
  groupXml,
  minimalUserJson,
  type JsonObject,
  type LinkBase,
  userJson,
  userXml,
  type WireFormat,
} from './entities';
import { userLinks } from './links';
import { escapeXmlAttribute, XML_PROLOGUE, xmlTextElement } from './xml';

export function renderEventToken(token: string, format: WireFormat): string {
  return format === 'xml'
    ? `${XML_PROLOGUE}<events incrementalSynchronisationAvailable="true" newEventToken="${escapeXmlAttribute(token)}"/>`
    : JSON.stringify({ incrementalSynchronisationAvailable: true, newEventToken: token });
}

export function renderEvents(token: string, events: readonly EventView[], format: WireFormat, links: LinkBase): string {
  if (format === 'json')
    return JSON.stringify({ newEventToken: token, events: events.map((e) => eventJson(e, links)) });
  let out = `${XML_PROLOGUE}<events newEventToken="${escapeXmlAttribute(token)}">`;
  for (const event of events) out += eventXml(event, links);
  return `${out}</events>`;
}

/** The snapshot as a user view; no dates (omitted in the output), attributes not expanded. */
function userView(user: NonNullable<EventView['user']>) {
  return { ...user, createdAt: '', updatedAt: '' };
}

function groupRefs(element: string, names: readonly string[] | null | undefined): string {
  const list = names ?? [];
  if (list.length === 0) return `<${element}/>`;
  return `<${element}>${list.map((n) => `<group name="${escapeXmlAttribute(n)}"/>`).join('')}</${element}>`;
}

function eventXml(event: EventView, links: LinkBase): string {
  const operation = xmlTextElement('operation', event.operation);
  switch (event.type) {
    case 'user':
      return event.user ? `<userEvent>${operation}${userXml(userView(event.user), links, false)}</userEvent>` : '';
    case 'group':
      return event.group ? `<groupEvent>${operation}${groupXml(event.group, links, false)}</groupEvent>` : '';
    case 'userMembership': {
      if (!event.childUser) return '';
      const child = minimalChildUser(event.childUser, links);
      return `<userMembershipEvent>${operation}${child}${groupRefs('parentGroups', event.parentGroups)}</userMembershipEvent>`;
    }
    case 'groupMembership':
      if (!event.group) return '';
      return (
        `<groupMembershipEvent>${operation}<group name="${escapeXmlAttribute(event.group.name)}"/>` +
        `${groupRefs('parentGroups', event.parentGroups)}${groupRefs('childGroups', event.childGroups)}</groupMembershipEvent>`
      );
    default:
      return ''; // an event kind this facade does not know is skipped, never rendered half
  }
}

function minimalChildUser(name: string, links: LinkBase): string {
  const href = userLinks.self(links, name);
  return `<childUser name="${escapeXmlAttribute(name)}"><link rel="self" href="${escapeXmlAttribute(href)}"/></childUser>`;
}

function eventJson(event: EventView, links: LinkBase): JsonObject {
  const base: JsonObject = { operation: event.operation };
  switch (event.type) {
    case 'user':
      return {
        type: 'userEvent',
        ...base,
        ...(event.user ? { user: userJson(userView(event.user), links, false) } : {}),
      };
    case 'group':
      return { type: 'groupEvent', ...base, ...(event.group ? { group: groupJson(event.group, links, false) } : {}) };
    case 'userMembership':
      return {
        type: 'userMembershipEvent',
        ...base,
        childUser: minimalUserJson(event.childUser ?? '', links),
        parentGroups: { groups: (event.parentGroups ?? []).map((name) => ({ name })) },
      };
    default:
      return {
        type: 'groupMembershipEvent',
        ...base,
        group: { name: event.group?.name ?? '' },
        parentGroups: { groups: (event.parentGroups ?? []).map((name) => ({ name })) },
        childGroups: { groups: (event.childGroups ?? []).map((name) => ({ name })) },
      };
  }
}
