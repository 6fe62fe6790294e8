import { Link } from 'wouter';
import { routes } from '../../routes';
import { ErrorNotice } from '../../ui/notice';
import { useQuery } from '../../ui/use-query';
import { Pager, useCursorPages } from './cursor-pager';
import { ActiveBadge } from './users-page';

const MEMBERS_PAGE = 50;

interface MembersData {
  group: {
    users: {
      totalCount: number;
      pageInfo: { endCursor: string | null; hasNextPage: boolean };
      nodes: Array<{ key: string; name: string; displayName: string; active: boolean }>;
    };
  } | null;
}

const MEMBERS_QUERY = `query GroupMembers($name: String!, $directory: String!, $nested: Boolean!, $first: Int!, $after: String) {
  group(name: $name, directories: [$directory]) {
    users(nested: $nested, first: $first, after: $after) {
      totalCount
      pageInfo { endCursor hasNextPage }
      nodes { key name displayName active }
    }
  }
}`;

/**
 * The user members of a group, direct or including those of its nested groups, a page at a time
 * (a group such as "All Staff" may hold every user of a 100k directory).
 */
export function GroupMembers({
  group,
  directory,
  nested,
  heading,
  id,
}: {
  group: string;
  directory: string;
  nested: boolean;
  heading: string;
  id: string;
}) {
  const pages = useCursorPages(`${directory}/${group}/${nested}`);
  const members = useQuery<MembersData>(MEMBERS_QUERY, {
    name: group,
    directory,
    nested,
    first: MEMBERS_PAGE,
    after: pages.after,
  });
  const connection = members.data?.group?.users;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {heading}
        {connection ? ` (${connection.totalCount.toLocaleString('en')})` : ''}
      </h2>
      <ErrorNotice error={members.error} all />
      {members.loading && !members.data ? <p role="status">Loading…</p> : null}
      {connection && connection.nodes.length === 0 ? <p className="hint">No user member.</p> : null}
      {connection && connection.nodes.length > 0 ? (
        <table aria-busy={members.loading || undefined}>
          <caption className="visually-hidden">
            {heading} of {group}
          </caption>
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Display name</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {connection.nodes.map((user) => (
              <tr key={user.key}>
                <td>
                  <Link href={routes.user(user.name, directory)}>{user.name}</Link>
                </td>
                <td>{user.displayName}</td>
                <td>
                  <ActiveBadge active={user.active} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {connection ? (
        <Pager
          pages={pages}
          pageSize={MEMBERS_PAGE}
          shown={connection.nodes.length}
          totalCount={connection.totalCount}
          endCursor={connection.pageInfo.endCursor}
          hasNextPage={connection.pageInfo.hasNextPage}
          noun="members"
          label={`Pages of ${heading.toLowerCase()}`}
        />
      ) : null}
    </section>
  );
}
