import { Link, useSearch } from 'wouter';
import { routes } from '../../routes';
import { formatDateTime } from '../../ui/format';
import { ErrorNotice, Notice } from '../../ui/notice';
import { useQuery } from '../../ui/use-query';
import { providerLabel } from '../../ui/directory-status';
import { AttributesTable } from './attributes-table';
import { Fact } from './fact';
import { NameList } from './name-list';
import { ActiveBadge } from './users-page';
import { nameFromAddress } from './url-state';
import { UserPrecedence } from './user-precedence';
import './browse.css';

/** Groups listed on the page; a user in more is told so (the rest are on the groups page). */
const GROUP_LIMIT = 1000;

interface GroupNames {
  totalCount: number;
  nodes: Array<{ name: string }>;
}

interface UserPageData {
  user: {
    key: string;
    name: string;
    displayName: string;
    firstName: string;
    lastName: string;
    email: string;
    externalId: string;
    active: boolean;
    createdAt: string;
    updatedAt: string;
    directory: { name: string; provider: string };
    attributes: Array<{ name: string; values: string[] }>;
    direct: GroupNames;
    nested: GroupNames;
  } | null;
}

const USER_QUERY = `query BrowseUser($name: String!, $directories: [String!], $limit: Int!) {
  user(name: $name, directories: $directories) {
    key name displayName firstName lastName email externalId active createdAt updatedAt
    directory { name provider }
    attributes { name values }
    direct: groups(first: $limit) { totalCount nodes { name } }
    nested: groups(first: $limit, nested: true) { totalCount nodes { name } }
  }
}`;

/**
 * One user: names, e-mail, key, status, attributes, direct groups and the groups inherited through
 * nesting, and which directory wins when another directory holds the same name.
 */
export function UserPage({ params }: { params: { name: string } }) {
  const name = nameFromAddress('users', params.name);
  const directory = new URLSearchParams(useSearch() === '' ? '' : window.location.search).get('directory') ?? '';
  const query = useQuery<UserPageData>(USER_QUERY, {
    name,
    directories: directory ? [directory] : null,
    limit: GROUP_LIMIT,
  });
  const user = query.data?.user;
  return (
    <section>
      <p className="browse-crumb">
        <Link href={routes.users}>Users</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{user?.name ?? name}</h1>
      </div>
      <ErrorNotice error={query.error} all />
      {query.loading && !query.data ? <p role="status">Loading…</p> : null}
      {query.data && !user ? (
        <Notice kind="warning">
          <p>
            No user named “{name}” {directory ? `in the directory ${directory}` : 'in any directory'}. It may have been
            renamed, removed by the last synchronisation, or left out by the directory&apos;s filters.
          </p>
          <p>
            <Link href={routes.users}>Search the users</Link>
          </p>
        </Notice>
      ) : null}
      {user ? <UserDetails user={user} /> : null}
    </section>
  );
}

function UserDetails({ user }: { user: NonNullable<UserPageData['user']> }) {
  const direct = user.direct.nodes.map((g) => g.name);
  const directSet = new Set(direct.map((g) => g.toLowerCase()));
  const inherited = user.nested.nodes.map((g) => g.name).filter((g) => !directSet.has(g.toLowerCase()));
  const groupHref = (group: string) => routes.group(group, user.directory.name);
  return (
    <>
      <div className="card">
        <p className="browse-display-name">
          {user.displayName} <ActiveBadge active={user.active} />
        </p>
        <dl className="facts">
          <Fact term="Username">{user.name}</Fact>
          <Fact term="First name">{user.firstName || '—'}</Fact>
          <Fact term="Last name">{user.lastName || '—'}</Fact>
          <Fact term="E-mail">{user.email || '—'}</Fact>
          <Fact term="Directory">
            <Link href={routes.directory(user.directory.name)}>{user.directory.name}</Link> (
            {providerLabel(user.directory.provider)})
          </Fact>
          <Fact term="Crowd key">
            <code>{user.key}</code>
          </Fact>
          <Fact term="External id">
            <code>{user.externalId}</code>
          </Fact>
          <Fact term="Created">{formatDateTime(user.createdAt)}</Fact>
          <Fact term="Updated">{formatDateTime(user.updatedAt)}</Fact>
        </dl>
      </div>
      <UserPrecedence name={user.name} shownDirectory={user.directory.name} />
      <div className="two-columns">
        <section aria-labelledby="direct-groups">
          <h2 id="direct-groups">Direct groups ({user.direct.totalCount.toLocaleString('en')})</h2>
          <NameList
            names={direct}
            total={user.direct.totalCount}
            href={groupHref}
            label="Direct groups"
            empty="Member of no group directly."
          />
        </section>
        <section aria-labelledby="nested-groups">
          <h2 id="nested-groups">Through nested groups ({inherited.length.toLocaleString('en')})</h2>
          <p className="hint">Groups the user is not a member of directly, but of one of their subgroups.</p>
          <NameList
            names={inherited}
            {...(user.nested.totalCount > user.nested.nodes.length ? { total: user.nested.totalCount } : {})}
            href={groupHref}
            label="Groups through nested groups"
            empty="No group beyond the direct ones."
          />
        </section>
      </div>
      <h2>Attributes</h2>
      <AttributesTable attributes={user.attributes} caption={`Attributes of ${user.name}`} />
    </>
  );
}
