import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { GraphQLFailure, request } from '../../graphql/client';
import { routes } from '../../routes';
import { Button } from '../../ui/button';
import { providerLabel } from '../../ui/directory-status';
import { ErrorNotice, Notice } from '../../ui/notice';
import { RefusalNotice } from '../../settings/refusal-notice';
import { useQuery } from '../../ui/use-query';
import { ConnectionSection } from '../../settings/connection-section';
import {
  fromSettings,
  SETTINGS_FIELDS,
  toInput,
  type Draft,
  type StoredSecrets,
  type StoredSettings,
} from '../../settings/draft';
import { Findings } from '../../settings/findings';
import { PreviewView } from '../../settings/preview-view';
import { previewSettings, testSettings, type ConnectionReport, type Preview } from '../../settings/queries';
import { focusField, useServerErrors } from '../../settings/server-errors';
import { UsersGroupsSection } from '../../settings/users-groups-section';
import { validateConnection, validateSync, type FieldErrors } from '../../settings/validate';
import '../../settings/settings.css';

interface EditedDirectory {
  name: string;
  provider: string;
  managedBy: 'API' | 'FILE' | null;
  version: number | null;
  enabled: boolean | null;
  settings: StoredSettings | null;
}

const DIRECTORY_QUERY = `{ directories { name provider managedBy version enabled settings { ${SETTINGS_FIELDS} } } }`;

/**
 * A directory's settings, editable (API directories) or read-only (managed in crowdgate.yaml):
 * the wizard's forms filled from `settings`, secrets write-only ("stored — leave empty to keep"),
 * Test, Preview (with the plan of what saving would change) and Save with the version it was
 * read at (a change made meanwhile answers CONFLICT, and the form keeps what was typed).
 */
export function EditDirectoryPage({ params }: { params: { name: string } }) {
  const name = decodeURIComponent(params.name);
  const loaded = useQuery<{ directories: EditedDirectory[] }>(DIRECTORY_QUERY);
  const directory = loaded.data?.directories.find((d) => d.name.toLowerCase() === name.toLowerCase());
  return (
    <section className="edit-directory">
      <div className="page-head">
        <h1 tabIndex={-1}>Settings of {name}</h1>
        <Link href={routes.directory(name)}>Back to the directory</Link>
      </div>
      <ErrorNotice error={loaded.error} all />
      {loaded.loading && !loaded.data ? <p role="status">Loading…</p> : null}
      {loaded.data && !directory ? <Notice kind="error">There is no directory named “{name}”.</Notice> : null}
      {directory && directory.settings ? (
        <EditForm key={`${directory.name}:${directory.version ?? 0}`} directory={directory} onSaved={loaded.reload} />
      ) : null}
    </section>
  );
}

function EditForm({ directory, onSaved }: { directory: EditedDirectory; onSaved(): void }) {
  const initial = useMemo(() => fromSettings(directory.settings!), [directory.settings]);
  const [draft, setDraft] = useState<Draft>(initial.draft);
  const stored: StoredSecrets = initial.stored;
  const readOnly = directory.managedBy === 'FILE';
  const server = useServerErrors();
  const [attempted, setAttempted] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [busy, setBusy] = useState<'' | 'test' | 'preview' | 'save'>('');
  const [report, setReport] = useState<ConnectionReport | undefined>(undefined);
  const [preview, setPreview] = useState<Preview | undefined>(undefined);
  const [saved, setSaved] = useState<number | undefined>(undefined);
  // The version this form last read or wrote: the next save's expectedVersion.
  const [version, setVersion] = useState(directory.version);

  const input = useMemo(
    () => toInput(draft, directory.enabled === null ? {} : { enabled: directory.enabled }),
    [draft, directory.enabled],
  );
  const update = useCallback((change: (d: Draft) => Draft) => {
    setDraft(change);
    setSaved(undefined);
  }, []);
  useEffect(() => setPreview(undefined), [input]);

  const inline = {
    ...validateConnection(draft, stored as Record<string, boolean | undefined>),
    ...validateSync(draft),
  };
  const serverErrors = server.visible(input);
  const errors: FieldErrors = { ...(attempted ? inline : {}), ...serverErrors };

  const checked = (): boolean => {
    setAttempted(true);
    const first = Object.keys(inline)[0];
    if (first) focusField(first);
    return !first;
  };

  const run = async (what: 'test' | 'preview' | 'save') => {
    if (!checked()) return;
    setBusy(what);
    setFailure(undefined);
    try {
      if (what === 'test') setReport(await testSettings(input));
      else if (what === 'preview') setPreview(await previewSettings(input, 200));
      else {
        const data = await request<{ updateDirectory: { version: number } }>(
          'mutation($name: String!, $input: DirectoryInput!, $expectedVersion: Int) { updateDirectory(name: $name, input: $input, expectedVersion: $expectedVersion) { version } }',
          { name: directory.name, input, expectedVersion: version },
        );
        setSaved(data.updateDirectory.version);
        setVersion(data.updateDirectory.version);
      }
      server.clear();
    } catch (e) {
      setFailure(e);
      const first = Object.keys(server.record(e, input))[0];
      if (first) focusField(first);
    } finally {
      setBusy('');
    }
  };

  const conflict = failure instanceof GraphQLFailure && failure.code === 'CONFLICT' && !errors.name;
  const testerReady: string | true =
    Object.keys(validateConnection(draft, stored as Record<string, boolean | undefined>)).length > 0
      ? 'Complete the connection settings to see sample users.'
      : true;

  return (
    <>
      <p className="hint">
        {providerLabel(directory.provider)} · version {version ?? '—'}
        {directory.managedBy ? ` · managed by ${directory.managedBy === 'FILE' ? 'crowdgate.yaml' : 'the API'}` : ''}
      </p>
      {readOnly ? (
        <Notice kind="info">
          This directory is <strong>managed in crowdgate.yaml</strong>: change it in the configuration file. Its
          settings are shown read-only.
        </Notice>
      ) : null}
      {conflict ? (
        <div className="notice error" role="alert">
          <p>
            Someone changed this directory since you opened it (you edited version {version}): nothing was saved. Your
            edits are still in the form; reload to start from their version.
          </p>
          <Button onClick={onSaved}>Reload the directory</Button>
        </div>
      ) : (
        <RefusalNotice failure={failure} fieldErrors={serverErrors} />
      )}
      {saved !== undefined ? (
        <Notice kind="success">Saved (version {saved}). The directory is synchronised with its new settings.</Notice>
      ) : null}
      <form
        className="settings-form"
        aria-label={`Settings of ${directory.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          if (!readOnly) void run('save');
        }}
      >
        <div className="card">
          <h2>Connection</h2>
          <ConnectionSection
            draft={draft}
            update={update}
            errors={errors}
            stored={stored}
            readOnly={readOnly}
            nameFixed
          />
        </div>
        <div className="card">
          <h2>Users and groups</h2>
          <UsersGroupsSection
            draft={draft}
            update={update}
            errors={errors}
            readOnly={readOnly}
            testerInput={input}
            testerReady={testerReady}
          />
        </div>
        <div className="actions edit-actions">
          <Button busy={busy === 'test'} disabled={busy !== ''} onClick={() => void run('test')}>
            Test connection
          </Button>
          <Button busy={busy === 'preview'} disabled={busy !== ''} onClick={() => void run('preview')}>
            Preview
          </Button>
          {readOnly ? null : (
            <Button type="submit" variant="primary" writes busy={busy === 'save'} disabled={busy !== ''}>
              Save
            </Button>
          )}
          {busy === 'preview' ? (
            <span className="preview-progress" role="status">
              <progress aria-label="Reading the provider" /> Reading the provider…
            </span>
          ) : null}
        </div>
      </form>
      {report ? (
        <div className="card">
          <h2>Connection test</h2>
          <Findings report={report} />
        </div>
      ) : null}
      {preview ? (
        <div className="card">
          <h2>Preview</h2>
          <PreviewView preview={preview} />
        </div>
      ) : null}
    </>
  );
}
