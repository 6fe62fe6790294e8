/**
 * Turns directory events into System Log `LogEvent`s (spec `components/schemas/LogEvent`).
 *
 * Shape: as Okta publishes admin changes made through the API — `actor` the admin user who owns
 * the API token, `target[]` the `User` and/or `UserGroup`, `outcome.result` SUCCESS, severity
 * INFO, `transaction` shared by the events of one journal change, `debugContext.debugData` with
 * the request URI. Fields real Okta sends as null where the spec does not allow null
 * (`outcome.reason`, `client.zone`, `transaction.detail`, …) are omitted instead.
 */
import { randomUUID } from 'node:crypto';
import type { DirectoryEvent, EventSubject } from './directory';

/** The administrator every logged change is attributed to. */
export interface LogActor {
  readonly id: string;
  readonly alternateId: string;
  readonly displayName: string;
}

const DISPLAY_MESSAGES: Readonly<Record<string, string>> = {
  'user.lifecycle.create': 'Create Okta user',
  'user.lifecycle.activate': 'Activate Okta user',
  'user.lifecycle.deactivate': 'Deactivate Okta user',
  'user.lifecycle.suspend': 'Suspend Okta user',
  'user.lifecycle.unsuspend': 'Unsuspend Okta user',
  'user.lifecycle.delete.initiated': 'Delete Okta user',
  'user.account.update_profile': 'Update user profile for Okta',
  'user.account.unlock': 'Unlock user account',
  'group.user_membership.add': 'Add user to group membership',
  'group.user_membership.remove': 'Remove user from group membership',
  'group.lifecycle.create': 'Create Okta group',
  'group.lifecycle.delete': 'Delete Okta group',
  'group.profile.update': 'Update Okta group profile',
};

/** Legacy (Events API) types of the events that have a well-known one. */
const LEGACY_TYPES: Readonly<Record<string, string>> = {
  'user.lifecycle.create': 'core.user.config.user_creation.success',
  'user.lifecycle.activate': 'core.user.config.user_activated',
  'user.lifecycle.deactivate': 'core.user.config.user_deactivated',
  'group.user_membership.add': 'core.user_group_member.user_add',
  'group.user_membership.remove': 'core.user_group_member.user_remove',
};

function requestUri(event: DirectoryEvent): string {
  const user = event.user?.id ?? '';
  const group = event.group?.id ?? '';
  switch (event.eventType) {
    case 'user.lifecycle.create':
      return '/api/v1/users';
    case 'user.lifecycle.activate':
      return `/api/v1/users/${user}/lifecycle/activate`;
    case 'user.lifecycle.deactivate':
      return `/api/v1/users/${user}/lifecycle/deactivate`;
    case 'user.lifecycle.suspend':
      return `/api/v1/users/${user}/lifecycle/suspend`;
    case 'user.lifecycle.unsuspend':
      return `/api/v1/users/${user}/lifecycle/unsuspend`;
    case 'user.account.unlock':
      return `/api/v1/users/${user}/lifecycle/unlock`;
    case 'user.lifecycle.delete.initiated':
    case 'user.account.update_profile':
      return `/api/v1/users/${user}`;
    case 'group.user_membership.add':
    case 'group.user_membership.remove':
      return `/api/v1/groups/${group}/users/${user}`;
    case 'group.lifecycle.create':
      return '/api/v1/groups';
    default:
      return `/api/v1/groups/${group}`;
  }
}

function target(subject: EventSubject, type: 'User' | 'UserGroup'): Record<string, unknown> {
  return {
    id: subject.id,
    type,
    alternateId: type === 'User' ? subject.alternateId : 'unknown',
    displayName: subject.displayName,
  };
}

/** One LogEvent; `transactionId` groups the events of one journal change. */
export function buildLogEvent(
  event: DirectoryEvent,
  published: number,
  actor: LogActor,
  transactionId: string,
): Record<string, unknown> {
  const uri = requestUri(event);
  const debugData: Record<string, unknown> = { requestId: transactionId, requestUri: uri, url: uri };
  if (event.changed !== undefined) debugData.changedAttributes = event.changed.join(',');
  const targets: Record<string, unknown>[] = [];
  if (event.user !== undefined) targets.push(target(event.user, 'User'));
  if (event.group !== undefined) targets.push(target(event.group, 'UserGroup'));
  const json: Record<string, unknown> = {
    actor: { id: actor.id, type: 'User', alternateId: actor.alternateId, displayName: actor.displayName },
    client: {
      userAgent: { rawUserAgent: 'okta-sdk-nodejs/8.1.0 crowdgate-emulator', os: 'Unknown', browser: 'UNKNOWN' },
      device: 'Unknown',
      ipAddress: '127.0.0.1',
    },
    authenticationContext: { authenticationStep: 0, externalSessionId: `trs${transactionId.slice(0, 20)}` },
    displayMessage: DISPLAY_MESSAGES[event.eventType] ?? event.eventType,
    eventType: event.eventType,
    outcome: { result: 'SUCCESS' },
    published: new Date(published).toISOString(),
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
    severity: 'INFO',
    debugContext: { debugData },
  };
  const legacy = LEGACY_TYPES[event.eventType];
  if (legacy !== undefined) json.legacyEventType = legacy;
  json.transaction = { type: 'WEB', id: transactionId, detail: {} };
  json.uuid = randomUUID();
  json.version = '0';
  json.request = { ipChain: [{ ip: '127.0.0.1', version: 'V4' }] };
  json.target = targets;
  return json;
}
