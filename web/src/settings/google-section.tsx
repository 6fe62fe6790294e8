import { useState } from 'react';
import { CopyValue } from '../ui/copy-button';
import { TextField } from '../ui/field';
import type { Draft } from './draft';
import { Advanced, FileTextField, secretHint, type SectionProps } from './form-parts';
import { serviceAccountKeyProblem } from './validate';

/**
 * The three read-only scopes of domain-wide delegation, comma-separated as the Admin console
 * takes them (the same list as src/providers/google/credentials.ts SYNC_SCOPES and the emulator's
 * READONLY_SYNC_SCOPES; copied here because the console never imports server code).
 */
export const GOOGLE_DELEGATION_SCOPES = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.readonly',
  'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
].join(',');

/** The service account's client ID in a pasted key (for the delegation step), when it is one. */
function clientIdOf(key: string): string | undefined {
  if (key.trim() === '' || serviceAccountKeyProblem(key)) return undefined;
  const id = (JSON.parse(key) as { client_id?: unknown }).client_id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * Google Workspace: Admin SDK API, a service account and its JSON key, domain-wide delegation
 * with the three read-only scopes, the domain and the admin to impersonate.
 */
export function GoogleSection({ draft, update, errors, stored, readOnly }: SectionProps) {
  const g = draft.google;
  const set = (patch: Partial<Draft['google']>) => update((d) => ({ ...d, google: { ...d.google, ...patch } }));
  const [fileProblem, setFileProblem] = useState('');
  const [loadedFile, setLoadedFile] = useState('');
  // A pasted key that is not a service-account key is refused here, before anything is sent.
  const keyProblem = g.serviceAccountKey.trim() === '' ? undefined : serviceAccountKeyProblem(g.serviceAccountKey);
  const clientId = clientIdOf(g.serviceAccountKey);
  return (
    <>
      <ol className="steps provider-steps">
        <li>
          <h3>Enable the Admin SDK API</h3>
          <p>
            In the Google Cloud console (a project of your organisation), open{' '}
            <span className="portal-path">APIs &amp; Services → Library</span>, search for{' '}
            <strong>Admin SDK API</strong> and select <em>Enable</em>.
          </p>
        </li>
        <li>
          <h3>Create a service account and its JSON key</h3>
          <p>
            Open <span className="portal-path">IAM &amp; Admin → Service accounts → Create service account</span>, name
            it <CopyValue value="crowdgate-sync" label="the service account name" /> (it needs no role). Open it, then{' '}
            <span className="portal-path">Keys → Add key → Create new key → JSON</span>: the browser downloads the key
            file. Upload it or paste its text.
          </p>
          <FileTextField
            label="Upload the key file (.json)"
            accept=".json,application/json"
            disabled={readOnly}
            hint={loadedFile ? `Read ${loadedFile} (in this browser; nothing uploaded yet).` : undefined}
            onText={(text, name) => {
              setFileProblem('');
              setLoadedFile(name);
              set({ serviceAccountKey: text });
            }}
            onError={setFileProblem}
          />
          <TextField
            label="Service account key (JSON)"
            field="google.serviceAccountKey"
            multiline
            monospace
            required={!stored?.serviceAccountKey}
            value={g.serviceAccountKey}
            onChange={(serviceAccountKey) => {
              setLoadedFile('');
              set({ serviceAccountKey });
            }}
            error={fileProblem || keyProblem || errors['google.serviceAccountKey']}
            disabled={readOnly}
            placeholder='{ "type": "service_account", … }'
            hint={secretHint(stored?.serviceAccountKey, 'The whole JSON key file.')}
          />
        </li>
        <li>
          <h3>Grant domain-wide delegation</h3>
          <p>
            In the Google Admin console, as a super admin:{' '}
            <span className="portal-path">
              Security → Access and data control → API controls → Domain-wide delegation → Add new
            </span>
            . Enter the service account&apos;s <strong>Client ID</strong>{' '}
            {clientId ? (
              <CopyValue value={clientId} label="the service account's client ID" />
            ) : (
              '(client_id in the key)'
            )}{' '}
            and these three <strong>OAuth scopes</strong>, then <em>Authorize</em>:
          </p>
          <CopyValue value={GOOGLE_DELEGATION_SCOPES} label="the three read-only scopes" />
        </li>
        <li>
          <h3>Domain and administrator</h3>
          <p>
            The primary domain (<span className="portal-path">Admin console → Account → Domains</span>), and an
            administrator the service account acts as: a super admin, or an admin role with <em>Users → Read</em> and{' '}
            <em>Groups → Read</em>. A dedicated account keeps the audit log clear.
          </p>
          <div className="two-columns">
            <TextField
              label="Domain"
              field="google.domain"
              required={g.customerId.trim() === ''}
              value={g.domain}
              onChange={(domain) => set({ domain })}
              error={errors['google.domain']}
              disabled={readOnly}
              placeholder="example.com"
            />
            <TextField
              label="Admin account to impersonate"
              field="google.adminEmail"
              type="email"
              required
              value={g.adminEmail}
              onChange={(adminEmail) => set({ adminEmail })}
              error={errors['google.adminEmail']}
              disabled={readOnly}
              placeholder="crowdgate-reader@example.com"
            />
          </div>
          <div className="two-columns">
            <TextField
              label="Customer ID (optional)"
              field="google.customerId"
              value={g.customerId}
              onChange={(customerId) => set({ customerId })}
              error={errors['google.customerId']}
              disabled={readOnly}
              placeholder="C03az79cb"
              hint="Admin console → Account → Account settings. When set, every domain of the account is read."
            />
            <TextField
              label="Organisational units (optional)"
              field="google.orgUnits"
              multiline
              value={g.orgUnits}
              onChange={(orgUnits) => set({ orgUnits })}
              error={errors['google.orgUnits'] ?? firstUnder(errors, 'google.orgUnits[')}
              disabled={readOnly}
              placeholder="/Engineering"
              hint="One path per line, e.g. /Sales: only their users (with sub-units). Empty: everyone."
            />
          </div>
        </li>
      </ol>
      <Advanced
        summary="Advanced: endpoints (emulators, proxies)"
        errors={errors}
        paths={/^google\.(tokenUrl|rootUrl)/}
      >
        <p className="hint">Leave empty for Google&apos;s own endpoints.</p>
        <TextField
          label="Token URL"
          field="google.tokenUrl"
          type="url"
          monospace
          value={g.tokenUrl}
          onChange={(tokenUrl) => set({ tokenUrl })}
          error={errors['google.tokenUrl']}
          disabled={readOnly}
          placeholder="https://oauth2.googleapis.com/token"
        />
        <TextField
          label="Root URL"
          field="google.rootUrl"
          type="url"
          monospace
          value={g.rootUrl}
          onChange={(rootUrl) => set({ rootUrl })}
          error={errors['google.rootUrl']}
          disabled={readOnly}
          placeholder="https://admin.googleapis.com/"
        />
      </Advanced>
    </>
  );
}

function firstUnder(errors: Record<string, string>, prefix: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(prefix));
  return key ? `${key.slice('google.'.length)}: ${errors[key]}` : undefined;
}
