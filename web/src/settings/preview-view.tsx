import { plural } from '../ui/format';
import type { Preview } from './queries';

/**
 * What a directory with these settings would hold: counts, the users (resulting username, status,
 * groups), the groups, collisions and warnings; for an existing directory, the plan of a save.
 */
export function PreviewView({ preview }: { preview: Preview }) {
  const c = preview.counts;
  return (
    <div className="preview">
      <dl className="facts preview-counts">
        <div>
          <dt>Users</dt>
          <dd data-count="users">{c.users.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Active</dt>
          <dd>{c.activeUsers.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Inactive</dt>
          <dd>{c.inactiveUsers.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Groups</dt>
          <dd data-count="groups">{c.groups.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Memberships</dt>
          <dd>{c.memberships.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Left out by filters</dt>
          <dd>{preview.filteredOut.toLocaleString('en')}</dd>
        </div>
        <div>
          <dt>Without a username</dt>
          <dd>{preview.withoutUsername.toLocaleString('en')}</dd>
        </div>
      </dl>
      {preview.warnings.length > 0 ? (
        <div className="notice warning">
          <ul aria-label="Warnings">
            {preview.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview.plan ? <PlanView plan={preview.plan} /> : null}
      {preview.collisions.length > 0 ? (
        <>
          <h3>Collisions</h3>
          <table className="collisions-table">
            <caption className="visually-hidden">Names several people or groups project to</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Kept by (provider id)</th>
                <th scope="col">The others became</th>
              </tr>
            </thead>
            <tbody>
              {preview.collisions.map((col) => (
                <tr key={`${col.kind}:${col.name}`}>
                  <td className="mono">{col.name}</td>
                  <td>{col.kind}</td>
                  <td className="mono">{col.keptBy}</td>
                  <td className="mono">{col.renamed.map((r) => r.name).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <h3>
        Users{' '}
        <span className="hint">
          (the first {plural(preview.users.length, 'user')} of {c.users.toLocaleString('en')}, by name)
        </span>
      </h3>
      <div className="table-scroll">
        <table className="preview-users">
          <caption className="visually-hidden">Users as Crowd will see them</caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Display name</th>
              <th scope="col">E-mail</th>
              <th scope="col">Status</th>
              <th scope="col">Groups</th>
            </tr>
          </thead>
          <tbody>
            {preview.users.map((u) => (
              <tr key={u.externalId} data-user={u.name}>
                <td className="mono">{u.name}</td>
                <td>{u.displayName}</td>
                <td>{u.email}</td>
                <td>
                  <span className={`badge ${u.active ? 'status-ok' : 'status-disabled'}`}>
                    {u.active ? 'Active' : 'Inactive'}
                  </span>
                </td>
                <td data-groups>{u.groups.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h3>
        Groups{' '}
        <span className="hint">
          (the first {plural(preview.groups.length, 'group')} of {c.groups.toLocaleString('en')}, by name)
        </span>
      </h3>
      <div className="table-scroll">
        <table className="preview-groups">
          <caption className="visually-hidden">Groups as Crowd will see them</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Where it comes from</th>
              <th scope="col">Direct user members</th>
              <th scope="col">Description</th>
            </tr>
          </thead>
          <tbody>
            {preview.groups.map((g) => (
              <tr key={g.name} data-group={g.name}>
                <td className="mono">{g.name}</td>
                <td>{g.local ? <span className="badge">Local group</span> : 'Provider'}</td>
                <td>{g.members.toLocaleString('en')}</td>
                <td>{g.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function PlanView({ plan }: { plan: NonNullable<Preview['plan']> }) {
  const c = plan.counts;
  const d = plan.details;
  const nothing = Object.values(c).every((n) => n === 0);
  const lines: Array<[string, number, string[]]> = [
    ['Users added', c.usersAdded, d.usersAdded],
    ['Users updated', c.usersUpdated, []],
    ['Users renamed', c.usersRenamed, d.usersRenamed.map((r) => `${r.from} → ${r.to}`)],
    ['Users deactivated', c.usersDeactivated, d.usersDeactivated],
    ['Users removed', c.usersRemoved, d.usersRemoved],
    ['Groups added', c.groupsAdded, d.groupsAdded],
    ['Groups updated', c.groupsUpdated, []],
    ['Groups removed', c.groupsRemoved, d.groupsRemoved],
    ['Memberships added', c.membershipsAdded, d.membershipsAdded.map((m) => `${m.member} → ${m.group}`)],
    ['Memberships removed', c.membershipsRemoved, d.membershipsRemoved.map((m) => `${m.member} → ${m.group}`)],
  ];
  return (
    <section className="card plan" aria-labelledby="plan-heading">
      <h3 id="plan-heading">What saving would change</h3>
      {nothing ? (
        <p>Nothing: the directory already holds exactly this.</p>
      ) : (
        <ul className="plan-lines">
          {lines
            .filter(([, count]) => count > 0)
            .map(([label, count, names]) => (
              <li key={label} data-plan={label}>
                <strong>
                  {label}: {count.toLocaleString('en')}
                </strong>
                {names.length > 0 ? (
                  <span className="plan-names">
                    {' '}
                    — {names.slice(0, 20).join(', ')}
                    {names.length > 20 ? ` and ${(count - 20).toLocaleString('en')} more` : ''}
                  </span>
                ) : null}
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
