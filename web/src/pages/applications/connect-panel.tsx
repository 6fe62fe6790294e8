import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { CopyValue } from '../../ui/copy-button';
import type { ConnectionInstructions } from './queries';
import './applications.css';

/**
 * "Connect Jira / Confluence / Bitbucket": where to click in the product and what to paste, from
 * the application's `connectionInstructions`. The three products share Atlassian's embedded-Crowd
 * directory form (Server URL, Application name/password, Crowd permissions, Advanced settings);
 * only the way to the User Directories screen and how groups are then given access differ.
 * Paths as in Atlassian's "Connecting to Crowd" pages of each product (Data Center 9.x / 8.x).
 */

type Product = 'jira' | 'confluence' | 'bitbucket';

interface ProductGuide {
  readonly label: string;
  /** The menu path to the User Directories screen. */
  readonly path: readonly string[];
  readonly addDirectory: ReactNode;
  /** Giving the synchronised groups access to the product, once the directory is there. */
  readonly access: ReactNode;
}

const GUIDES: Record<Product, ProductGuide> = {
  jira: {
    label: 'Jira',
    path: ['⚙ Administration', 'User management', 'User Directories'],
    addDirectory: (
      <>
        Click <b>Add directory</b>, choose <b>Atlassian Crowd</b> and click <b>Next</b>. (Jira may ask for your password
        again first: administrator sessions are confirmed.)
      </>
    ),
    access: (
      <>
        Give the groups access:{' '}
        <span className="portal-path">⚙ Administration → Applications → Application access</span>, for example{' '}
        <code>jira-software-users</code>; and the administrators&apos; group in{' '}
        <span className="portal-path">⚙ Administration → System → Global permissions</span>.
      </>
    ),
  },
  confluence: {
    label: 'Confluence',
    path: ['⚙ Administration', 'General configuration', 'User directories'],
    addDirectory: (
      <>
        Click <b>Add Directory</b>, choose <b>Atlassian Crowd</b> and click <b>Next</b>.
      </>
    ),
    access: (
      <>
        Give the groups access: <span className="portal-path">⚙ General configuration → Global permissions</span>,{' '}
        <b>Can use</b> for <code>confluence-users</code> (and administration for <code>confluence-administrators</code>
        ).
      </>
    ),
  },
  bitbucket: {
    label: 'Bitbucket',
    path: ['⚙ Administration', 'Accounts', 'User Directories'],
    addDirectory: (
      <>
        Click <b>Add Directory</b>, choose <b>Atlassian Crowd</b> and click <b>Next</b>.
      </>
    ),
    access: (
      <>
        Give the groups access: <span className="portal-path">⚙ Administration → Accounts → Global permissions</span>,{' '}
        <b>Bitbucket User</b> for <code>bitbucket-users</code>: connecting a directory alone lets nobody log in.
      </>
    ),
  },
};

const PRODUCTS: readonly Product[] = ['jira', 'confluence', 'bitbucket'];

/**
 * How often the product asks crowdgate for changes. crowdgate answers from its own store and keeps
 * Crowd events, so an incremental round is cheap; the product's default is 60 minutes.
 */
const RECOMMENDED_INTERVAL_MINUTES = '10';

export function ConnectPanel({
  instructions,
  password,
  passwordMissing,
  headingId,
}: {
  readonly instructions: ConnectionInstructions;
  /** The password just generated (shown this once), if any. */
  readonly password?: string | null | undefined;
  /** What to say instead of the password when it is not known any more. */
  readonly passwordMissing?: ReactNode;
  readonly headingId?: string;
}) {
  const [product, setProduct] = useState<Product>('jira');
  const tabsId = useId();
  const tabs = useRef<Array<HTMLButtonElement | null>>([]);
  const guide = GUIDES[product];

  // Tabs as in the WAI-ARIA pattern: arrows, Home and End move and select; Tab goes into the panel.
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = PRODUCTS.length - 1;
    const next =
      event.key === 'ArrowRight'
        ? index === last
          ? 0
          : index + 1
        : event.key === 'ArrowLeft'
          ? index === 0
            ? last
            : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : undefined;
    if (next === undefined) return;
    event.preventDefault();
    setProduct(PRODUCTS[next]!);
    tabs.current[next]?.focus();
  };

  return (
    <section className="card connect-panel" aria-labelledby={headingId ?? `${tabsId}-heading`}>
      <h2 id={headingId ?? `${tabsId}-heading`}>Connect Jira / Confluence / Bitbucket</h2>
      <p className="hint">
        Add crowdgate to the product as an <b>Atlassian Crowd</b> user directory. Pick the product, then follow the
        steps and paste the values as they are.
      </p>
      <div className="product-tabs" role="tablist" aria-label="Product to connect">
        {PRODUCTS.map((p, index) => (
          <button
            key={p}
            ref={(element) => {
              tabs.current[index] = element;
            }}
            type="button"
            role="tab"
            id={`${tabsId}-${p}-tab`}
            aria-selected={product === p}
            aria-controls={`${tabsId}-panel`}
            tabIndex={product === p ? 0 : -1}
            className="product-tab"
            onClick={() => setProduct(p)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {GUIDES[p].label}
          </button>
        ))}
      </div>
      <div
        className="product-panel"
        role="tabpanel"
        id={`${tabsId}-panel`}
        aria-labelledby={`${tabsId}-${product}-tab`}
        data-product={product}
      >
        <ol className="steps">
          <li>
            In {guide.label}, go to <span className="portal-path">{guide.path.join(' → ')}</span>.
          </li>
          <li>{guide.addDirectory}</li>
          <li>
            Under <b>Server settings</b>, enter:
            <dl className="paste-values">
              <div>
                <dt>Name</dt>
                <dd>
                  <CopyValue value="crowdgate" label="directory name" />
                  <span className="hint"> (any name you will recognise in the list)</span>
                </dd>
              </div>
              <div>
                <dt>Server URL</dt>
                <dd>
                  <CopyValue value={instructions.serverUrl} label="Server URL" />
                  <span className="hint">
                    {' '}
                    (with crowdgate&apos;s context path; use the address {guide.label} reaches crowdgate by)
                  </span>
                </dd>
              </div>
              <div>
                <dt>Application name</dt>
                <dd>
                  <CopyValue value={instructions.applicationName} label="Application name" />
                </dd>
              </div>
              <div>
                <dt>Application password</dt>
                <dd>
                  {password ? (
                    <CopyValue value={password} label="Application password" />
                  ) : (
                    (passwordMissing ?? (
                      <span>
                        The password you set for <b>{instructions.applicationName}</b> (it is never shown again) —
                        generate a new one on the application&apos;s page if it is lost.
                      </span>
                    ))
                  )}
                </dd>
              </div>
            </dl>
          </li>
          <li>
            Under <b>Crowd permissions</b>, choose <b className="permission">{instructions.permission}</b>: users and
            groups are managed at the identity provider, and crowdgate refuses writes.
          </li>
          <li>
            Under <b>Advanced settings</b>:
            <dl className="paste-values">
              <div>
                <dt>Enable nested groups</dt>
                <dd>On (crowdgate serves group-in-group memberships)</dd>
              </div>
              <div>
                <dt>Enable incremental synchronisation</dt>
                <dd>On (each round asks only for what changed since the last one)</dd>
              </div>
              <div>
                <dt>Synchronisation interval (minutes)</dt>
                <dd>
                  <CopyValue value={RECOMMENDED_INTERVAL_MINUTES} label="synchronisation interval" />
                  <span className="hint">
                    {' '}
                    (the default is 60; crowdgate answers from its own copy, so a short interval is cheap)
                  </span>
                </dd>
              </div>
              <div>
                <dt>Update group memberships when logging in</dt>
                <dd>Every time the user logs in (the default)</dd>
              </div>
            </dl>
          </li>
          <li>
            Click <b>Test settings</b>: {guide.label} should report that the connection test succeeded. Then click{' '}
            <b>Save and Test</b>, and <b>Synchronise</b> once to bring the users in now.
          </li>
          <li>
            In the list of user directories, <b>move crowdgate&apos;s directory to the top</b> if it should win when a
            username also exists in another directory (such as {guide.label}&apos;s internal one).
          </li>
          <li>{guide.access}</li>
        </ol>
        {instructions.notes.length > 0 ? (
          <details className="connect-notes">
            <summary>crowdgate&apos;s notes for this application</summary>
            <ul>
              {instructions.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          </details>
        ) : null}
      </div>
    </section>
  );
}
