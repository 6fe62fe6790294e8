import { Link } from 'wouter';
import { routes } from '../../routes';
import { SelectField } from '../../ui/field';
import { ErrorNotice } from '../../ui/notice';
import { useQuery } from '../../ui/use-query';
import { PAGE_SIZE, searchFilter, useServedDirectories } from './browse-data';
import { Pager, useCursorPages } from './cursor-pager';
import { ResultCount } from './result-count';
import { SearchToolbar } from './search-toolbar';
import { useAddressState } from './url-state';
import './browse.css';

interface UsersPageData {
  users: {
    totalCount: number;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    nodes: Array<{
      key: string;
      name: string;
      displayName: string;
      email: string;
      active: boolean;
      directory: { name: string };
    }>;
  };
}

const USERS_QUERY = `query BrowseUsers($filter: UserFilterInput, $directories: [String!], $first: Int!, $after: String) {
  users(filter: $filter, directories: $directories, first: $first, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes { key name displayName email active directory { name } }
  }
}`;

type Status = 'all' | 'active' | 'inactive';
const STATUS_OPTIONS: ReadonlyArray<{ value: Status; label: string }> = [
  { value: 'all', label: 'Active and inactive' },
  { value: 'active', label: 'Active only' },
  { value: 'inactive', label: 'Inactive only' },
];

/** The synchronised users of one or all directories: search as you type, filters, cursor paging. */
export function UsersPage() {
  const [state, setState] = useAddressState({ q: '', status: 'all', directory: '' });
  const status = (STATUS_OPTIONS.some((o) => o.value === state.status) ? state.status : 'all') as Status;
  const directories = useServedDirectories();
  const search = searchFilter(state.q, ['name', 'displayName', 'email']);
  const filter = {
    ...search,
    ...(status === 'all' ? {} : { active: status === 'active' }),
  };
  const resetKey = JSON.stringify([state.q, status, state.directory]);
  const pages = useCursorPages(resetKey);
  const users = useQuery<UsersPageData>(USERS_QUERY, {
    filter: Object.keys(filter).length > 0 ? filter : null,
    directories: state.directory ? [state.directory] : null,
    first: PAGE_SIZE,
    after: pages.after,
  });
  const connection = users.data?.users;
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Users</h1>
      </div>
      <p className="hint">
        What crowdgate serves to Jira, Confluence and Bitbucket. Across all directories a username held by two of them
        shows once, from the first in precedence order.
      </p>
      <SearchToolbar
        label="Search users"
        hint="Part of the username, display name or e-mail."
        term={state.q}
        onSearch={(q) => setState({ q })}
        directory={state.directory}
        onDirectory={(directory) => setState({ directory })}
        directories={directories.served}
      >
        <SelectField label="Status" value={status} onChange={(s) => setState({ status: s })} options={STATUS_OPTIONS} />
      </SearchToolbar>
      <ErrorNotice error={directories.error} all />
      <ErrorNotice error={users.error} all />
      <ResultCount total={connection?.totalCount} noun="user" term={state.q} failed={Boolean(users.error)} />
      {connection && connection.nodes.length > 0 ? (
        <div className="table-scroll">
          <table aria-busy={users.loading || undefined} className="browse-table">
            <caption className="visually-hidden">Users, page {pages.page}</caption>
            <thead>
              <tr>
                <th scope="col">Username</th>
                <th scope="col">Display name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Directory</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {connection.nodes.map((user) => (
                <tr key={user.key}>
                  <td>
                    <Link href={routes.user(user.name, user.directory.name)}>{user.name}</Link>
                  </td>
                  <td>{user.displayName}</td>
                  <td>{user.email}</td>
                  <td>{user.directory.name}</td>
                  <td>
                    <ActiveBadge active={user.active} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {connection && connection.nodes.length === 0 ? <p>No user matches.</p> : null}
      {connection ? (
        <Pager
          pages={pages}
          pageSize={PAGE_SIZE}
          shown={connection.nodes.length}
          totalCount={connection.totalCount}
          endCursor={connection.pageInfo.endCursor}
          hasNextPage={connection.pageInfo.hasNextPage}
          noun="users"
          label="Pages of users"
        />
      ) : null}
    </section>
  );
}

export function ActiveBadge({ active }: { active: boolean }) {
  return <span className={`badge ${active ? 'status-ok' : 'status-disabled'}`}>{active ? 'Active' : 'Inactive'}</span>;
}
