import { useEffect, useRef, useState } from 'react';
import { request } from '../../graphql/client';
import { useSession } from '../../session';
import { CopyValue } from '../../ui/copy-button';
import { formatDateTime, formatRelative } from '../../ui/format';
import { ErrorNotice, Notice } from '../../ui/notice';
import { useAction, useQuery } from '../../ui/use-query';
import { ConfirmAction } from '../applications/confirm-action';
import { CONFIG_FILE } from '../applications/queries';
import { CreateTokenForm, type CreatedToken } from './create-token-form';
import './tokens.css';

export interface AdminToken {
  readonly name: string;
  readonly scope: 'ADMIN' | 'READ';
  readonly managedBy: 'API' | 'FILE';
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
}

const TOKENS_QUERY = '{ adminTokens { name scope managedBy createdAt expiresAt lastUsedAt } }';
const REVOKE_TOKEN = 'mutation($name: String!) { revokeAdminToken(name: $name) }';

/** Administrator tokens: who may use the GraphQL API and this console, with what scope, until when. */
export function TokensPage() {
  const { session } = useSession();
  const query = useQuery<{ adminTokens: AdminToken[] }>(TOKENS_QUERY);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [revoked, setRevoked] = useState<string | null>(null);
  const revoke = useAction(async (name: string) => {
    await request<{ revokeAdminToken: boolean }>(REVOKE_TOKEN, { name });
    setRevoked(name);
    query.reload();
  });
  const tokens = query.data?.adminTokens ?? [];
  return (
    <section className="tokens-page">
      <div className="page-head">
        <h1 tabIndex={-1}>Administrator tokens</h1>
      </div>
      <p className="hint">
        A token signs in to this console and calls the GraphQL API (<code>Authorization: Bearer …</code>). <b>ADMIN</b>{' '}
        may change everything; <b>READ</b> sees everything and changes nothing.
      </p>
      <ErrorNotice error={query.error} all />
      {created ? <CreatedTokenPanel created={created} onDismiss={() => setCreated(null)} /> : null}
      {revoked ? (
        <Notice kind="success">Token {revoked} was revoked: it and its console sessions stopped working.</Notice>
      ) : null}
      <ErrorNotice error={revoke.error} all />
      {query.loading && !query.data ? <p role="status">Loading…</p> : null}
      {tokens.length > 0 ? (
        <div className="table-scroll">
          <table className="tokens-table">
            <caption className="visually-hidden">Administrator tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Managed</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.name} data-token={t.name}>
                  <th scope="row">
                    {t.name}
                    {session?.tokenName === t.name ? <span className="hint"> (you)</span> : null}
                  </th>
                  <td>
                    <span className={`scope scope-${t.scope}`}>{t.scope}</span>
                  </td>
                  <td>{t.managedBy === 'FILE' ? `managed in ${CONFIG_FILE}` : 'here (API)'}</td>
                  <td>{formatDateTime(t.createdAt)}</td>
                  <td>{t.expiresAt ? <time dateTime={t.expiresAt}>{formatDateTime(t.expiresAt)}</time> : 'never'}</td>
                  <td>{t.lastUsedAt ? <time dateTime={t.lastUsedAt}>{formatRelative(t.lastUsedAt)}</time> : '—'}</td>
                  <td className="token-actions">
                    {t.managedBy === 'FILE' ? (
                      <span className="hint">
                        Defined in {CONFIG_FILE}: remove it there and restart crowdgate to revoke it.
                      </span>
                    ) : (
                      <ConfirmAction
                        label="Revoke"
                        accessibleLabel={`Revoke token ${t.name}`}
                        question={
                          session?.tokenName === t.name ? (
                            <>
                              Revoke <b>{t.name}</b>? It is the token you signed in with: you will be signed out.
                            </>
                          ) : (
                            <>
                              Revoke <b>{t.name}</b>? It stops working at once, with every console session opened with
                              it.
                            </>
                          )
                        }
                        confirmLabel={`Revoke ${t.name}`}
                        busy={revoke.busy}
                        onConfirm={async () => {
                          await revoke.run(t.name);
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <CreateTokenForm
        onCreated={(token) => {
          setRevoked(null);
          setCreated(token);
          query.reload();
        }}
      />
    </section>
  );
}

/** A token just created: shown this once. */
function CreatedTokenPanel({ created, onDismiss }: { created: CreatedToken; onDismiss(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [created]);
  return (
    <section className="card token-once" aria-labelledby="created-token">
      <h2 id="created-token" ref={heading} tabIndex={-1}>
        Token {created.adminToken.name} created ({created.adminToken.scope})
      </h2>
      <p>
        <b>Shown this once, stored only as a hash:</b> copy it now into your password manager or the script that uses
        it. Send it as <code>Authorization: Bearer …</code>, or sign in to this console with it.
      </p>
      <CopyValue value={created.token} label="administrator token" />
      <div className="actions">
        <button type="button" className="button" onClick={onDismiss}>
          Done: hide the token
        </button>
      </div>
    </section>
  );
}
