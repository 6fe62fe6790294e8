import { Link } from 'wouter';
import { routes } from '../../routes';
import '../../settings/settings.css';

const PROVIDERS = [
  {
    id: 'entra',
    name: 'Microsoft Entra ID',
    text: 'Formerly Azure AD. An app registration with a client secret and three Microsoft Graph application permissions.',
  },
  {
    id: 'google',
    name: 'Google Workspace',
    text: 'A service account with domain-wide delegation and the three read-only Admin SDK scopes.',
  },
  {
    id: 'okta',
    name: 'Okta',
    text: 'An API token of a read-only administrator, or an API Services app with a private key.',
  },
] as const;

/** Add a directory: pick the identity provider; each card opens that provider's wizard. */
export function ProviderChoice() {
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Add a directory</h1>
      </div>
      <p>
        crowdgate reads users and groups from your identity provider and serves them to Jira, Confluence and Bitbucket
        as a Crowd directory. Choose the provider: the wizard shows the steps in its portal, tests the connection and
        previews the result before anything is written.
      </p>
      <ul className="provider-cards">
        {PROVIDERS.map((p) => (
          <li key={p.id} className="card provider-card">
            <h2>
              <Link href={routes.wizard(p.id)} className="provider-link">
                {p.name}
              </Link>
            </h2>
            <p>{p.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
