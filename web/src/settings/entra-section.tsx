import { CopyValue } from '../ui/copy-button';
import { CheckboxField, SelectField, TextField } from '../ui/field';
import type { Draft } from './draft';
import { Advanced, secretHint, type SectionProps } from './form-parts';

/** Application permissions a sync needs (Microsoft Graph → Application permissions). */
export const ENTRA_PERMISSIONS = ['Directory.Read.All', 'Group.Read.All', 'User.Read.All'] as const;

/**
 * Microsoft Entra ID: the app registration, its client secret, its permissions and the tenant, in
 * the words of the Azure portal / Entra admin center; the optional endpoints under "Advanced".
 */
export function EntraSection({ draft, update, errors, stored, readOnly }: SectionProps) {
  const e = draft.entra;
  const set = (patch: Partial<Draft['entra']>) => update((d) => ({ ...d, entra: { ...d.entra, ...patch } }));
  return (
    <>
      <ol className="steps provider-steps">
        <li>
          <h3>Add the app</h3>
          <p>
            In the Azure portal or the Microsoft Entra admin center, go to{' '}
            <span className="portal-path">App registrations → New registration</span>. Give it a name such as{' '}
            <CopyValue value="crowdgate" label="the app name" />, leave <em>Supported account types</em> unchanged and
            select <em>Register</em>. Then copy the <strong>Application (client) ID</strong> from the app&apos;s{' '}
            <span className="portal-path">Overview</span> into the form.
          </p>
          <TextField
            label="Application (client) ID"
            field="entra.clientId"
            required
            monospace
            value={e.clientId}
            onChange={(clientId) => set({ clientId })}
            error={errors['entra.clientId']}
            disabled={readOnly}
            placeholder="00000000-0000-0000-0000-000000000000"
          />
        </li>
        <li>
          <h3>Generate a password</h3>
          <p>
            Open <span className="portal-path">Certificates &amp; secrets → New client secret</span>, give an optional
            description, choose the expiry and select <em>Add</em>. Copy the secret&apos;s <strong>Value</strong> (shown
            only once) — not its <em>Secret ID</em> — into <strong>Client secret</strong>.
          </p>
          <TextField
            label="Client secret"
            field="entra.clientSecret"
            type="password"
            required={!stored?.clientSecret && !stored?.certificate}
            value={e.clientSecret}
            onChange={(clientSecret) => set({ clientSecret })}
            error={errors['entra.clientSecret']}
            disabled={readOnly}
            autoComplete="new-password"
            hint={secretHint(
              stored?.clientSecret || stored?.certificate,
              'The Value column of the new secret, not the Secret ID.',
            )}
          />
        </li>
        <li>
          <h3>Configure permissions</h3>
          <p>
            Open{' '}
            <span className="portal-path">
              API permissions → Add a permission → Microsoft Graph → Application permissions
            </span>
            , add these three, then select <em>Grant admin consent</em>:
          </p>
          <ul className="copy-list">
            {ENTRA_PERMISSIONS.map((permission) => (
              <li key={permission}>
                <CopyValue value={permission} label={permission} />
              </li>
            ))}
          </ul>
        </li>
        <li>
          <h3>Tenant</h3>
          <p>
            Find the tenant name or <strong>Directory (tenant) ID</strong>: search the portal for <em>Tenant status</em>
            , or open <span className="portal-path">Microsoft Entra ID → Overview</span>. Paste it below.
          </p>
          <TextField
            label="Directory (tenant) ID or tenant name"
            field="entra.tenantId"
            required
            monospace
            value={e.tenantId}
            onChange={(tenantId) => set({ tenantId })}
            error={errors['entra.tenantId']}
            disabled={readOnly}
            placeholder="contoso.onmicrosoft.com"
            hint="A GUID, or a verified domain such as contoso.onmicrosoft.com (not “common”)."
          />
        </li>
      </ol>
      <SelectField
        label="Groups to synchronise"
        field="entra.groupTypes"
        value={e.groupTypes}
        onChange={(groupTypes) => set({ groupTypes })}
        error={errors['entra.groupTypes']}
        disabled={readOnly}
        options={[
          { value: 'all', label: 'All groups (Microsoft 365 groups and distribution lists too)' },
          { value: 'security', label: 'Security groups only' },
        ]}
      />
      <Advanced
        summary="Advanced: endpoints, TLS and password authentication"
        errors={errors}
        paths={/^entra\.(authorityHost|graphBaseUrl|caCertificate|passwordAuthentication|publicClientId)/}
      >
        <p className="hint">For national clouds, TLS-inspecting proxies and emulators. Leave empty for the defaults.</p>
        <TextField
          label="Authority host"
          field="entra.authorityHost"
          type="url"
          monospace
          value={e.authorityHost}
          onChange={(authorityHost) => set({ authorityHost })}
          error={errors['entra.authorityHost']}
          disabled={readOnly}
          placeholder="https://login.microsoftonline.com"
        />
        <TextField
          label="Graph base URL"
          field="entra.graphBaseUrl"
          type="url"
          monospace
          value={e.graphBaseUrl}
          onChange={(graphBaseUrl) => set({ graphBaseUrl })}
          error={errors['entra.graphBaseUrl']}
          disabled={readOnly}
          placeholder="https://graph.microsoft.com"
        />
        <TextField
          label="CA certificate (PEM)"
          field="entra.caCertificate"
          multiline
          monospace
          value={e.caCertificate}
          onChange={(caCertificate) => set({ caCertificate })}
          error={errors['entra.caCertificate']}
          disabled={readOnly}
          placeholder="-----BEGIN CERTIFICATE-----"
          hint="An extra certificate authority to trust for both hosts."
        />
        <CheckboxField
          label="Password authentication: check Crowd logins with Entra"
          field="entra.passwordAuthentication"
          checked={e.passwordAuthentication}
          onChange={(passwordAuthentication) => set({ passwordAuthentication })}
          error={errors['entra.passwordAuthentication']}
          disabled={readOnly}
          hint="Turn on Authentication → Allow public client flows on the app. It cannot log in users who need MFA, federated users or guests."
        />
        {e.passwordAuthentication ? (
          <TextField
            label="Public client ID (optional)"
            field="entra.publicClientId"
            monospace
            value={e.publicClientId}
            onChange={(publicClientId) => set({ publicClientId })}
            error={errors['entra.publicClientId']}
            disabled={readOnly}
            hint="Another app registration for password checks, when not this one."
          />
        ) : null}
      </Advanced>
    </>
  );
}
