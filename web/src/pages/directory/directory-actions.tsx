import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { request } from '../../graphql/client';
import { routes } from '../../routes';
import { Button } from '../../ui/button';
import { CheckboxField } from '../../ui/field';
import { plural } from '../../ui/format';
import { ErrorNotice } from '../../ui/notice';
import { useAction } from '../../ui/use-query';
import { inputFromSettings, type DirectoryDetails } from './directory-data';

/** Enable / Disable and Delete, for a directory made through the API (file entries are read-only). */
export function DirectoryActions({
  directory,
  applications,
  onChanged,
}: {
  directory: DirectoryDetails;
  /** The applications that list this directory. */
  applications: ReadonlyArray<{ name: string; managedBy: string }>;
  onChanged(): void;
}) {
  const [deleting, setDeleting] = useState(false);
  const enabled = directory.enabled !== false;
  const toggle = useAction(
    useCallback(async () => {
      if (!directory.settings) throw new Error('The directory’s settings could not be read; reload the page.');
      await request(
        `mutation SetEnabled($name: String!, $input: DirectoryInput!, $expectedVersion: Int) {
          updateDirectory(name: $name, input: $input, expectedVersion: $expectedVersion) { name enabled }
        }`,
        {
          name: directory.name,
          input: inputFromSettings(directory.settings, !enabled),
          expectedVersion: directory.version,
        },
      );
      onChanged();
    }, [directory, enabled, onChanged]),
  );
  return (
    <>
      <Button writes busy={toggle.busy} onClick={() => void toggle.run()}>
        {enabled ? 'Disable' : 'Enable'}
      </Button>
      <Button writes variant="danger" onClick={() => setDeleting(true)}>
        Delete…
      </Button>
      <ErrorNotice error={toggle.error} all />
      {deleting ? (
        <DeleteDialog directory={directory} applications={applications} onClose={() => setDeleting(false)} />
      ) : null}
    </>
  );
}

/**
 * The confirmation of deleteDirectory: what goes (users, groups, memberships; nothing at the
 * provider), and when applications use the directory, whether to take it out of them
 * (detachApplications). A native modal <dialog>: focus stays inside, Escape closes it.
 */
function DeleteDialog({
  directory,
  applications,
  onClose,
}: {
  directory: DirectoryDetails;
  applications: ReadonlyArray<{ name: string; managedBy: string }>;
  onClose(): void;
}) {
  const [, navigate] = useLocation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [detach, setDetach] = useState(false);
  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);
  const remove = useAction(
    useCallback(async () => {
      await request(
        'mutation Delete($name: String!, $detach: Boolean!) { deleteDirectory(name: $name, detachApplications: $detach) }',
        {
          name: directory.name,
          detach,
        },
      );
      navigate(routes.overview);
    }, [directory.name, detach, navigate]),
  );
  const c = directory.counts;
  return (
    <dialog ref={dialog} className="card delete-directory-dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Delete the directory {directory.name}?</h2>
      <p>This deletes from crowdgate, at once and for good:</p>
      <ul className="directory-plain-list">
        <li>its settings and its sync history;</li>
        <li>
          its {plural(c.users, 'user')}, {plural(c.groups, 'group')} and {plural(c.memberships, 'membership')}: Jira,
          Confluence and Bitbucket lose them at their next synchronisation (they synchronise fully).
        </li>
      </ul>
      <p>Nothing is changed at the identity provider.</p>
      {applications.length > 0 ? (
        <>
          <p>
            {applications.length === 1 ? 'The application' : 'The applications'}{' '}
            <strong>{applications.map((a) => a.name).join(', ')}</strong> {applications.length === 1 ? 'uses' : 'use'}{' '}
            this directory: the deletion is refused unless it is taken out of them.
          </p>
          <CheckboxField
            label={`Also take ${directory.name} out of ${applications.map((a) => a.name).join(', ')}`}
            checked={detach}
            onChange={setDetach}
            field="detachApplications"
            hint="An application managed in crowdgate.yaml, or one for which this is the only directory, keeps it: change those first."
          />
        </>
      ) : null}
      <ErrorNotice error={remove.error} all />
      <div className="actions">
        <Button writes variant="danger" busy={remove.busy} onClick={() => void remove.run()}>
          Delete {directory.name}
        </Button>
        <Button onClick={onClose} disabled={remove.busy}>
          Cancel
        </Button>
      </div>
    </dialog>
  );
}
