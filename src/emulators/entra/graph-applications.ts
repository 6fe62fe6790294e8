import type { AppRegistry } from './apps';
import { jsonReply, type GraphCall } from './context';
import type { Reply } from './http';
import { graphErrors } from './errors';
import { demand } from './permissions';

/**
 * `GET /applications?$filter=appId eq '<id>'&$select=appId,passwordCredentials` (application-list):
 * the app registration with its client secrets' metadata — `hint` (the secret's first three
 * characters) and `endDateTime`, never the secret. Needs Application.Read.All (or
 * Directory.Read.All); only the `appId eq` filter is served, as a connector reads its own registration.
 */
const READ_APPLICATIONS = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All'];

export function listApplications(call: GraphCall, apps: AppRegistry): Reply {
  demand(call.granted, READ_APPLICATIONS);
  const filter = call.query.get('$filter');
  const match = filter === undefined ? null : /^appId eq '([0-9a-fA-F-]{36})'$/.exec(filter.trim());
  if (!match)
    throw graphErrors.badRequest(`only $filter=appId eq '<guid>' is supported here, not ${filter ?? '(none)'}`);
  const app = apps.get(match[1]!);
  const value = app
    ? [
        {
          appId: app.clientId,
          displayName: app.displayName,
          passwordCredentials: app.secrets.map((s) => ({
            hint: s.value.slice(0, 3),
            endDateTime: (s.expiresAt ?? new Date('2299-12-31T00:00:00Z')).toISOString(),
          })),
        },
      ]
    : [];
  return jsonReply(
    JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#applications', value }),
  );
}
