import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { GraphQLFailure, request } from '../../graphql/client';
import { routes } from '../../routes';
import { useWriteAccess } from '../../session';
import { Button } from '../../ui/button';
import { CopyValue } from '../../ui/copy-button';
import { ErrorNotice, Notice, fieldErrors } from '../../ui/notice';
import { useAction, useQuery } from '../../ui/use-query';
import { ApplicationFields, type ApplicationSettings } from './application-fields';
import { ConfirmAction } from './confirm-action';
import { ConnectPanel } from './connect-panel';
import { FormProblems, useFocusFirstInvalid } from './form-problems';
import {
  APPLICATIONS_QUERY,
  CONFIG_FILE,
  DELETE_APPLICATION,
  SET_APPLICATION_PASSWORD,
  UPDATE_APPLICATION,
  sameName,
  type ApplicationInput,
  type ApplicationResult,
  type ApplicationView,
  type ApplicationsData,
} from './queries';
import { addressesProblem, addressLines, serverAddressProblem, serverDirectoriesProblem } from './validation';
import './applications.css';

function decoded(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** One application: its settings (editable unless the file manages it), its password, and how to connect a product. */
export function ApplicationPage({ params }: { params: { name: string } }) {
  const name = decoded(params.name);
  const query = useQuery<ApplicationsData>(APPLICATIONS_QUERY);
  const [newPassword, setNewPassword] = useState<string | null>(null);
  const application = query.data?.applications.find((a) => sameName(a.name, name));
  const directories = (query.data?.directories ?? []).map((d) => d.name);

  if (query.loading && !query.data)
    return (
      <section>
        <h1 tabIndex={-1}>{name}</h1>
        <p role="status">Loading…</p>
      </section>
    );
  if (!application)
    return (
      <section>
        <h1 tabIndex={-1}>{name}</h1>
        <ErrorNotice error={query.error} all />
        {query.data ? (
          <Notice kind="warning">
            There is no application named {name}. <Link href={routes.applications}>See all applications</Link>.
          </Notice>
        ) : null}
      </section>
    );

  const fromFile = application.managedBy === 'FILE';
  return (
    <section className="application-page">
      <p className="breadcrumb">
        <Link href={routes.applications}>Crowd applications</Link> /
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{application.name}</h1>
        <span className={`badge ${application.enabled ? 'status-ok' : 'status-disabled'}`}>
          {application.enabled ? 'Enabled' : 'Disabled'}
        </span>
      </div>
      <ErrorNotice error={query.error} all />
      {fromFile ? (
        <Notice kind="info">
          Managed in {CONFIG_FILE}: it is read-only here. Change it in that file (and restart crowdgate).
        </Notice>
      ) : null}
      <dl className="facts application-facts">
        <div>
          <dt>Directories it sees, in order</dt>
          <dd>{application.directories.length > 0 ? application.directories.join(' → ') : 'none'}</dd>
        </div>
        <div>
          <dt>Allowed addresses</dt>
          <dd className="mono">{application.allowedAddresses.join(', ')}</dd>
        </div>
        <div>
          <dt>State</dt>
          <dd>{application.enabled ? 'Enabled: it may log in' : 'Disabled: its logins are refused'}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{application.version}</dd>
        </div>
      </dl>
      {newPassword ? <NewPassword password={newPassword} /> : null}
      <ConnectPanel
        instructions={application.connectionInstructions}
        password={newPassword}
        passwordMissing={
          <span>
            The password set for <b>{application.name}</b>: it is never shown again.
            {fromFile ? ' It is the one whose hash is in the file.' : ' Lost it? Use “Generate a new password” below.'}
          </span>
        }
      />
      {fromFile ? null : (
        <>
          <EditApplication
            key={application.name}
            application={application}
            allDirectories={directories}
            onSaved={query.reload}
            onReload={query.reload}
          />
          <ApplicationActions application={application} onChanged={query.reload} onNewPassword={setNewPassword} />
        </>
      )}
    </section>
  );
}

/** A password just generated: shown this once (focus moves to it so it is announced). */
function NewPassword({ password }: { password: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [password]);
  return (
    <section className="card once" aria-labelledby="new-password">
      <h2 id="new-password" ref={heading} tabIndex={-1}>
        New password
      </h2>
      <p>
        <b>Shown this once, stored only as a hash.</b> The old password no longer works: paste this one into the
        product&apos;s crowdgate directory (<b>Edit</b> it in User Directories) now.
      </p>
      <CopyValue value={password} label="application password" />
    </section>
  );
}

const PLACED = ['allowedAddresses', 'directories'];

/**
 * The settings form, sent with the version the page shows (`expectedVersion`): a change made
 * meanwhile elsewhere is refused (CONFLICT) and said so. The form keeps what was typed through
 * errors and reloads; a successful save shows the settings as the server normalised them.
 */
function EditApplication({
  application,
  allDirectories,
  onSaved,
  onReload,
}: {
  application: ApplicationView;
  allDirectories: readonly string[];
  onSaved(): void;
  onReload(): void;
}) {
  const { canWrite } = useWriteAccess();
  const form = useRef<HTMLFormElement>(null);
  const focusFirstInvalid = useFocusFirstInvalid(form);
  const [settings, setSettings] = useState<ApplicationSettings>(() => settingsOf(application));
  const [checks, setChecks] = useState<{ addresses?: string | undefined; directories?: string | undefined }>({});
  const [sent, setSent] = useState<{ lines: ReturnType<typeof addressLines>; directories: string[] }>({
    lines: [],
    directories: [],
  });
  const [saved, setSaved] = useState(false);
  const save = useAction(async (input: ApplicationInput) => {
    const data = await request<{ updateApplication: ApplicationResult }>(UPDATE_APPLICATION, {
      name: application.name,
      input,
      expectedVersion: application.version,
    });
    return data.updateApplication.application;
  });
  const conflict = save.error instanceof GraphQLFailure && save.error.code === 'CONFLICT';
  const server = fieldErrors(save.error);
  const errors = {
    addresses: checks.addresses ?? serverAddressProblem(server, sent.lines),
    directories: checks.directories ?? serverDirectoriesProblem(server, sent.directories),
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const lines = addressLines(settings.addresses);
    const found = {
      addresses:
        addressesProblem(settings.addresses) ??
        (lines.length === 0 ? 'Enter at least one address (127.0.0.1 for loopback only).' : undefined),
      directories: settings.directories.length === 0 ? 'Tick at least one directory.' : undefined,
    };
    setChecks(found);
    save.setError(undefined);
    if (found.addresses || found.directories) {
      focusFirstInvalid();
      return;
    }
    setSent({ lines, directories: [...settings.directories] });
    const updated = await save.run({
      name: application.name,
      allowedAddresses: lines.map((l) => l.value),
      directories: [...settings.directories],
    });
    if (!updated) {
      focusFirstInvalid();
      return;
    }
    setSettings(settingsOf(updated));
    setSaved(true);
    onSaved();
  };

  return (
    <form
      ref={form}
      className="card application-form"
      aria-labelledby="edit-application"
      noValidate
      onSubmit={(e) => void submit(e)}
    >
      <h2 id="edit-application">Settings</h2>
      {conflict ? (
        <div className="notice error" role="alert">
          <p>
            Someone changed {application.name} after you opened this page, so your change was not saved (nothing was
            overwritten). Load the latest version: what you typed stays in the form; check it and save again.
          </p>
          <Button
            onClick={() => {
              save.setError(undefined);
              onReload();
            }}
          >
            Load the latest version
          </Button>
        </div>
      ) : (
        <FormProblems error={save.error} placed={PLACED} />
      )}
      {saved ? <Notice kind="success">Settings saved.</Notice> : null}
      <ApplicationFields
        value={settings}
        onChange={(value) => {
          setSaved(false);
          setSettings(value);
        }}
        allDirectories={allDirectories}
        current={application.directories}
        errors={errors}
        disabled={!canWrite}
      />
      <div className="actions">
        <Button type="submit" variant="primary" writes busy={save.busy}>
          Save settings
        </Button>
      </div>
    </form>
  );
}

function settingsOf(application: ApplicationView): ApplicationSettings {
  return { addresses: application.allowedAddresses.join('\n'), directories: [...application.directories] };
}

/** Enable or disable, a new generated password (shown once), delete: each says what it does first. */
function ApplicationActions({
  application,
  onChanged,
  onNewPassword,
}: {
  application: ApplicationView;
  onChanged(): void;
  onNewPassword(password: string): void;
}) {
  const [, navigate] = useLocation();
  const toggle = useAction(async () => {
    await request(UPDATE_APPLICATION, {
      name: application.name,
      input: { name: application.name, enabled: !application.enabled },
      expectedVersion: application.version,
    });
    onChanged();
  });
  const password = useAction(async () => {
    const data = await request<{ setApplicationPassword: ApplicationResult }>(SET_APPLICATION_PASSWORD, {
      name: application.name,
    });
    if (data.setApplicationPassword.generatedPassword) onNewPassword(data.setApplicationPassword.generatedPassword);
    onChanged();
  });
  const remove = useAction(async () => {
    await request(DELETE_APPLICATION, { name: application.name });
    navigate(routes.applications, { state: { deleted: application.name } });
  });
  const toggleConflict = toggle.error instanceof GraphQLFailure && toggle.error.code === 'CONFLICT';
  return (
    <section className="card application-actions" aria-labelledby="application-actions">
      <h2 id="application-actions">Password, state and removal</h2>
      <div className="action-row">
        <div>
          <h3>{application.enabled ? 'Disable' : 'Enable'}</h3>
          <p className="hint">
            {application.enabled
              ? 'A disabled application keeps its settings, but it cannot log in (its calls are answered 403, as Crowd answers an inactive application) until enabled again.'
              : 'Enabled again, it may log in with its password from its allowed addresses.'}
          </p>
          <Button writes busy={toggle.busy} onClick={() => void toggle.run()}>
            {application.enabled ? 'Disable application' : 'Enable application'}
          </Button>
          {toggleConflict ? (
            <Notice kind="error">Someone changed {application.name} meanwhile: reload the page and try again.</Notice>
          ) : (
            <ErrorNotice error={toggle.error} all />
          )}
        </div>
        <div id="new-password-action">
          <h3>Generate a new password</h3>
          <p className="hint">
            For a lost or leaked password. The old one stops working at once: the product cannot synchronise or log
            anyone in until you paste the new one.
          </p>
          <ConfirmAction
            label="Generate a new password"
            variant="primary"
            question={
              <>
                Replace the password of <b>{application.name}</b>? The product using it loses access until you paste the
                new one.
              </>
            }
            confirmLabel="Replace the password"
            busy={password.busy}
            onConfirm={() => password.run()}
          />
          <ErrorNotice error={password.error} all />
        </div>
        <div>
          <h3>Delete</h3>
          <p className="hint">The application cannot log in from then on. Users and directories are not touched.</p>
          <ConfirmAction
            label="Delete application"
            question={
              <>
                Delete <b>{application.name}</b>? The product using it can no longer synchronise or log anyone in.
              </>
            }
            confirmLabel={`Delete ${application.name}`}
            busy={remove.busy}
            onConfirm={() => remove.run()}
          />
          <ErrorNotice error={remove.error} all />
        </div>
      </div>
    </section>
  );
}
