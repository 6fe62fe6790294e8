import { CopyValue } from '../ui/copy-button';
import { CheckboxField, TextField } from '../ui/field';
import { OKTA_DEFAULT_SCOPES, type Draft } from './draft';
import { Advanced, RadioGroup, secretHint, type SectionProps } from './form-parts';

/** Okta: the org URL, then an API token of a read-only administrator or an API Services app. */
export function OktaSection({ draft, update, errors, stored, readOnly }: SectionProps) {
  const o = draft.okta;
  const set = (patch: Partial<Draft['okta']>) => update((d) => ({ ...d, okta: { ...d.okta, ...patch } }));
  return (
    <>
      <ol className="steps provider-steps">
        <li>
          <h3>Org URL</h3>
          <p>
            The address your users sign in at, such as <code>https://example.okta.com</code> — not the{' '}
            <code>-admin</code> console address, no path.
          </p>
          <TextField
            label="Org URL"
            field="okta.orgUrl"
            type="url"
            required
            monospace
            value={o.orgUrl}
            onChange={(orgUrl) => set({ orgUrl })}
            error={errors['okta.orgUrl']}
            disabled={readOnly}
            placeholder="https://example.okta.com"
          />
        </li>
        <li>
          <h3>How crowdgate signs in</h3>
          <RadioGroup
            legend="Credential"
            name="okta-credential"
            field="okta.credential"
            value={o.credential}
            disabled={readOnly}
            onChange={(credential) => set({ credential })}
            options={[
              {
                value: 'apiToken',
                label: 'API token (read-only administrator)',
                hint: 'Simplest: a token acting with the rights of the admin who creates it.',
              },
              {
                value: 'oauth',
                label: 'API Services app (OAuth 2.0, private key)',
                hint: 'No administrator’s token involved; the app gets its own read-only role.',
              },
            ]}
          />
          {o.credential === 'apiToken' ? (
            <ol className="substeps">
              <li>
                Create or pick an administrator with the <strong>Read-Only Administrator</strong> role (
                <span className="portal-path">Security → Administrators</span>).
              </li>
              <li>
                Signed in as that administrator:{' '}
                <span className="portal-path">Security → API → Tokens → Create token</span>; copy the token value (shown
                once) into <strong>API token</strong>, without the <code>SSWS</code> prefix.
              </li>
            </ol>
          ) : (
            <ol className="substeps">
              <li>
                <span className="portal-path">Applications → Create App Integration → API Services</span>, name it{' '}
                <CopyValue value="crowdgate" label="the app name" />; copy its <strong>Client ID</strong>.
              </li>
              <li>
                <span className="portal-path">General → Client Credentials → Edit</span>: choose{' '}
                <strong>Public key / Private key</strong>, <em>Add key</em> (generate it in Okta and copy the private
                key, PEM or JWK), and note the key&apos;s <strong>KID</strong>.
              </li>
              <li>
                <span className="portal-path">Okta API Scopes</span>: <em>Grant</em> each of{' '}
                <CopyValue value={OKTA_DEFAULT_SCOPES} label="the Okta API scopes" /> (<code>okta.logs.read</code> makes
                incremental runs possible).
              </li>
              <li>
                <span className="portal-path">Admin roles</span>: assign <strong>Read-Only Administrator</strong> to the
                app (scopes alone are not enough).
              </li>
            </ol>
          )}
          {o.credential === 'apiToken' ? (
            <TextField
              label="API token"
              field="okta.apiToken"
              type="password"
              required={!stored?.apiToken}
              value={o.apiToken}
              onChange={(apiToken) => set({ apiToken })}
              error={errors['okta.apiToken']}
              disabled={readOnly}
              autoComplete="new-password"
              hint={secretHint(stored?.apiToken, 'The token value, without “SSWS ”.')}
            />
          ) : (
            <>
              <TextField
                label="Client ID"
                field="okta.clientId"
                required
                monospace
                value={o.clientId}
                onChange={(clientId) => set({ clientId })}
                error={errors['okta.clientId']}
                disabled={readOnly}
                placeholder="0oa1b2c3d4…"
              />
              <TextField
                label="Private key"
                field="okta.privateKey"
                multiline
                monospace
                required={!stored?.privateKey}
                value={o.privateKey}
                onChange={(privateKey) => set({ privateKey })}
                error={errors['okta.privateKey']}
                disabled={readOnly}
                placeholder='-----BEGIN PRIVATE KEY----- or { "kty": "RSA", … }'
                hint={secretHint(stored?.privateKey, 'PEM or JWK JSON of the key whose public key the app holds.')}
              />
              <div className="two-columns">
                <TextField
                  label="Key ID"
                  field="okta.keyId"
                  monospace
                  value={o.keyId}
                  onChange={(keyId) => set({ keyId })}
                  error={errors['okta.keyId']}
                  disabled={readOnly}
                  hint="The key's KID (needed when the app has several keys)."
                />
                <TextField
                  label="Scopes granted to the app"
                  field="okta.scopes"
                  required
                  monospace
                  value={o.scopes}
                  onChange={(scopes) => set({ scopes })}
                  error={errors['okta.scopes'] ?? errors['okta.scopes[0]']}
                  disabled={readOnly}
                  hint="Separated by spaces."
                />
              </div>
            </>
          )}
        </li>
      </ol>
      <Advanced summary="Advanced: password authentication" errors={errors} paths={/^okta\.passwordAuthentication/}>
        <CheckboxField
          label="Password authentication: check Crowd logins with Okta (/api/v1/authn)"
          field="okta.passwordAuthentication"
          checked={o.passwordAuthentication}
          onChange={(passwordAuthentication) => set({ passwordAuthentication })}
          error={errors['okta.passwordAuthentication']}
          disabled={readOnly}
        />
      </Advanced>
    </>
  );
}
