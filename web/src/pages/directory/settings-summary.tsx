import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { routes } from '../../routes';
import { providerLabel } from '../../ui/directory-status';
import { plural } from '../../ui/format';
import type { DirectorySettings } from './directory-data';

/** The field names of the provider blocks, as the wizard and the provider portals name them. */
const PROVIDER_FIELDS: Record<string, Record<string, string>> = {
  entra: {
    tenantId: 'Directory (tenant) ID or tenant name',
    clientId: 'Application (client) ID',
    clientSecretSet: 'Client secret',
    certificateSet: 'Certificate (PEM)',
    certificatePath: 'Certificate file',
    certificatePasswordSet: 'Certificate password',
    authorityHost: 'Authority host',
    graphBaseUrl: 'Graph base URL',
    caCertificate: 'CA certificate (PEM)',
    groupTypes: 'Group types',
    memberReads: 'Member reads',
    passwordAuthentication: 'Password authentication',
    publicClientId: 'Public client ID',
    resourceUnitBudget: 'Graph resource units per 10 s',
  },
  google: {
    domain: 'Domain',
    adminEmail: 'Admin account to impersonate',
    customerId: 'Customer ID',
    serviceAccountKeySet: 'Service account key (JSON)',
    serviceAccountKeyFile: 'Service account key file',
    orgUnits: 'Organisational units',
    queriesPerMinute: 'Directory API queries per minute',
    maxConcurrency: 'Requests in flight',
    rootUrl: 'Admin SDK root URL',
    tokenUrl: 'Token URL',
  },
  okta: {
    orgUrl: 'Org URL',
    apiTokenSet: 'API token',
    clientId: 'Client ID',
    privateKeySet: 'Private key',
    privateKeyFile: 'Private key file',
    keyId: 'Key ID',
    scopes: 'Scopes',
    groupTypes: 'Group types',
    userStatuses: 'User statuses',
    passwordAuthentication: 'Password authentication',
    rateLimitShare: 'Share of each rate limit used',
  },
  demo: { users: 'Users', groups: 'Groups', seed: 'Seed' },
};

/** A provider setting as text: secrets only say whether one is stored, never what it is. */
function providerValue(key: string, value: unknown): string {
  if (key.endsWith('Set')) return value ? 'stored' : 'not set';
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'caCertificate') return 'set (PEM)';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length > 0 ? value.join(', ') : key === 'orgUnits' ? 'all' : 'none';
  if (key === 'rateLimitShare' && typeof value === 'number') return `${Math.round(value * 100)} %`;
  return String(value);
}

function usernameRule(u: DirectorySettings['username']): string {
  const steps = [
    `the provider's ${u.source === 'login' ? 'login' : u.source === 'email' ? 'e-mail' : `“${u.source}” attribute`}`,
  ];
  if (u.stripDomain) steps.push('without its domain (from the last @)');
  for (const r of u.replace) steps.push(`replacing /${r.pattern}/ with “${r.with}”`);
  if (u.lowercase) steps.push('in lower case');
  return steps.join(', ');
}

function minutes(value: number, unit: 'minute' | 'second'): string {
  return value === 0 ? 'off' : `every ${plural(value, unit)}`;
}

/** A directory's settings, read-only, in sentences an administrator can check at a glance. */
export function SettingsSummary({ settings }: { settings: DirectorySettings }) {
  const f = settings.filters;
  const providerBlock = (settings[settings.provider] ?? null) as Record<string, unknown> | null;
  const labels = PROVIDER_FIELDS[settings.provider] ?? {};
  return (
    <dl className="settings-summary">
      <Setting term="Usernames">{usernameRule(settings.username)}</Setting>
      <Setting term="Users synchronised">
        <ul className="directory-plain-list">
          <li>
            {f.groups.length > 0 ? (
              <>Only members (also through nesting) of {f.groups.map((g) => `“${g}”`).join(', ')}</>
            ) : (
              'Everyone in the provider'
            )}
          </li>
          <li>Guest accounts: {f.guests === 'exclude' ? 'left out' : 'included'}</li>
          <li>Disabled accounts: {f.disabledUsers === 'exclude' ? 'left out' : 'included (as inactive users)'}</li>
          {f.attributes.map((a) => (
            <li key={a.name}>
              Attribute <code>{a.name}</code>{' '}
              {a.equals ? `is one of ${a.equals.map((v) => `“${v}”`).join(', ')}` : `matches /${a.matches ?? ''}/`}
            </li>
          ))}
        </ul>
      </Setting>
      <Setting term="Local groups">
        {settings.localGroups.length > 0 ? (
          <>
            Every user joins{' '}
            {settings.localGroups.map((g, i) => (
              <span key={g}>
                {i > 0 ? ', ' : ''}
                <Link href={routes.group(g, settings.name)}>{g}</Link>
              </span>
            ))}
          </>
        ) : (
          'none'
        )}
      </Setting>
      <Setting term="Group mappings">
        {settings.groupMappings.length > 0 ? (
          <ul className="directory-plain-list">
            {settings.groupMappings.map((m) => (
              <li key={`${m.from}→${m.to}`}>
                members of “{m.from}” join <Link href={routes.group(m.to, settings.name)}>{m.to}</Link>
              </li>
            ))}
          </ul>
        ) : (
          'none'
        )}
      </Setting>
      <Setting term="Nested groups">
        {settings.nestedGroups === 'flatten'
          ? 'flattened: members of subgroups become direct members'
          : 'kept as in the provider'}
      </Setting>
      <Setting term="Deprovisioning">
        a user disabled upstream is {settings.deprovisioning.disabled === 'remove' ? 'removed' : 'deactivated'}; one
        deleted upstream or no longer matching the filters is{' '}
        {settings.deprovisioning.deleted === 'deactivate' ? 'deactivated' : 'removed'}
      </Setting>
      <Setting term="Safety threshold">
        a run that would deactivate or remove more than {plural(settings.safety.maxRemovals, 'user')} or{' '}
        {Math.round(settings.safety.maxRemovalShare * 1000) / 10} % of the users waits for approval
      </Setting>
      <Setting term="Schedule">
        full sync {minutes(settings.schedule.fullMinutes, 'minute')}; incremental sync{' '}
        {minutes(settings.schedule.incrementalSeconds, 'second')}
      </Setting>
      {providerBlock ? (
        <Setting term={providerLabel(settings.provider)}>
          <dl className="provider-settings">
            {Object.entries(providerBlock).map(([key, value]) => (
              <div key={key}>
                <dt>{labels[key] ?? key}</dt>
                <dd>{providerValue(key, value)}</dd>
              </div>
            ))}
          </dl>
        </Setting>
      ) : null}
    </dl>
  );
}

function Setting({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
