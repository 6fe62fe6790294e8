import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { routes } from '../../routes';
import { CopyValue } from '../../ui/copy-button';
import { ErrorNotice, Notice } from '../../ui/notice';
import { useQuery } from '../../ui/use-query';
import { AddApplicationForm } from './add-application-form';
import { ConnectPanel } from './connect-panel';
import { APPLICATIONS_QUERY, CONFIG_FILE, type ApplicationResult, type ApplicationsData } from './queries';
import './applications.css';

/** The Crowd applications (who may read crowdgate's Crowd API), and "Add application". */
export function ApplicationsPage() {
  const query = useQuery<ApplicationsData>(APPLICATIONS_QUERY);
  const [created, setCreated] = useState<ApplicationResult | null>(null);
  // Set by the application page after a delete (history state: gone on reload, as it should be).
  const [deleted] = useState<string | undefined>(() => (window.history.state as { deleted?: string } | null)?.deleted);
  // Said once: a reload or a return to this entry does not repeat it.
  useEffect(() => {
    if (deleted) window.history.replaceState(null, '');
  }, [deleted]);
  const applications = query.data?.applications ?? [];
  const directories = (query.data?.directories ?? []).map((d) => d.name);
  return (
    <section className="applications-page">
      <div className="page-head">
        <h1 tabIndex={-1}>Crowd applications</h1>
      </div>
      <p className="hint">
        Each Jira, Confluence or Bitbucket that reads crowdgate logs in to its Crowd API as an application: a name, a
        password, the addresses it calls from and the directories it sees.
      </p>
      {deleted ? <Notice kind="success">Application {deleted} was deleted: it cannot log in any more.</Notice> : null}
      <ErrorNotice error={query.error} all />
      {created ? <CreatedApplication result={created} onDismiss={() => setCreated(null)} /> : null}
      {query.loading && !query.data ? <p role="status">Loading…</p> : null}
      {query.data && applications.length === 0 ? (
        <Notice kind="info">No application yet: add one below for each product that should read crowdgate.</Notice>
      ) : null}
      {applications.length > 0 ? (
        <div className="table-scroll">
          <table className="applications-table">
            <caption className="visually-hidden">Crowd applications</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Directories it sees, in order</th>
                <th scope="col">Allowed addresses</th>
                <th scope="col">Managed</th>
              </tr>
            </thead>
            <tbody>
              {applications.map((a) => (
                <tr key={a.name} data-application={a.name}>
                  <th scope="row">
                    <Link href={routes.application(a.name)}>{a.name}</Link>
                  </th>
                  <td>
                    <span className={`badge ${a.enabled ? 'status-ok' : 'status-disabled'}`}>
                      {a.enabled ? 'Enabled' : 'Disabled'}
                    </span>
                  </td>
                  <td>{a.directories.length > 0 ? a.directories.join(' → ') : 'none'}</td>
                  <td>
                    <ul className="plain-list mono">
                      {a.allowedAddresses.map((cidr) => (
                        <li key={cidr}>{cidr}</li>
                      ))}
                    </ul>
                  </td>
                  <td>{a.managedBy === 'FILE' ? `managed in ${CONFIG_FILE} (read-only here)` : 'here (API)'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {query.data ? (
        <AddApplicationForm
          directories={directories}
          onCreated={(result) => {
            setCreated(result);
            query.reload();
          }}
        />
      ) : null}
    </section>
  );
}

/** Right after creation: the generated password, this once, and how to connect the product. */
function CreatedApplication({ result, onDismiss }: { result: ApplicationResult; onDismiss(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [result]);
  const { application, generatedPassword } = result;
  return (
    <section className="card created-application" aria-labelledby="created-application">
      <h2 id="created-application" ref={heading} tabIndex={-1}>
        Application {application.name} created
      </h2>
      {generatedPassword ? (
        <div className="once">
          <p>
            <b>Its password, shown this once and stored only as a hash:</b> paste it into the product now (or keep it in
            your password manager).
          </p>
          <CopyValue value={generatedPassword} label="application password" />
        </div>
      ) : (
        <p>It uses the password you typed; crowdgate keeps only a hash of it.</p>
      )}
      <ConnectPanel
        instructions={application.connectionInstructions}
        password={generatedPassword}
        passwordMissing={<span>The password you typed when you created it.</span>}
      />
      <div className="actions">
        <Link className="button" href={routes.application(application.name)}>
          Open {application.name}
        </Link>
        <button type="button" className="button" onClick={onDismiss}>
          Done: hide the password
        </button>
      </div>
    </section>
  );
}
