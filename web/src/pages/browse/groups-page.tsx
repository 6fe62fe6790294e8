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

interface GroupsPageData {
  groups: {
    totalCount: number;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    nodes: Array<{
      name: string;
      description: string;
      local: boolean;
      active: boolean;
      externalId: string;
      directory: { name: string };
    }>;
  };
}

const GROUPS_QUERY = `query BrowseGroups($filter: GroupFilterInput, $directories: [String!], $first: Int!, $after: String) {
  groups(filter: $filter, directories: $directories, first: $first, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes { name description local active externalId directory { name } }
  }
}`;

type Origin = 'all' | 'provider' | 'local';
const ORIGIN_OPTIONS: ReadonlyArray<{ value: Origin; label: string }> = [
  { value: 'all', label: 'Provider and local groups' },
  { value: 'provider', label: 'Provider groups only' },
  { value: 'local', label: 'Local groups only (local groups, mappings)' },
];

/** The synchronised groups of one or all directories: search as you type, filters, cursor paging. */
export function GroupsPage() {
  const [state, setState] = useAddressState({ q: '', origin: 'all', directory: '' });
  const origin = (ORIGIN_OPTIONS.some((o) => o.value === state.origin) ? state.origin : 'all') as Origin;
  const directories = useServedDirectories();
  const filter = {
    ...searchFilter(state.q, ['name', 'description']),
    ...(origin === 'all' ? {} : { local: origin === 'local' }),
  };
  const pages = useCursorPages(JSON.stringify([state.q, origin, state.directory]));
  const groups = useQuery<GroupsPageData>(GROUPS_QUERY, {
    filter: Object.keys(filter).length > 0 ? filter : null,
    directories: state.directory ? [state.directory] : null,
    first: PAGE_SIZE,
    after: pages.after,
  });
  const connection = groups.data?.groups;
  return (
    <section>
      <div className="page-head">
        <h1 tabIndex={-1}>Groups</h1>
      </div>
      <p className="hint">
        Provider groups as synchronised, and the local groups crowdgate adds (a directory&apos;s local groups and group
        mappings). Across all directories a group name held by two of them shows once, from the first in precedence
        order.
      </p>
      <SearchToolbar
        label="Search groups"
        hint="Part of the group name or description."
        term={state.q}
        onSearch={(q) => setState({ q })}
        directory={state.directory}
        onDirectory={(directory) => setState({ directory })}
        directories={directories.served}
      >
        <SelectField label="Origin" value={origin} onChange={(o) => setState({ origin: o })} options={ORIGIN_OPTIONS} />
      </SearchToolbar>
      <ErrorNotice error={directories.error} all />
      <ErrorNotice error={groups.error} all />
      <ResultCount total={connection?.totalCount} noun="group" term={state.q} failed={Boolean(groups.error)} />
      {connection && connection.nodes.length > 0 ? (
        <div className="table-scroll">
          <table aria-busy={groups.loading || undefined} className="browse-table">
            <caption className="visually-hidden">Groups, page {pages.page}</caption>
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Description</th>
                <th scope="col">Directory</th>
                <th scope="col">Origin</th>
              </tr>
            </thead>
            <tbody>
              {connection.nodes.map((group) => (
                <tr key={`${group.directory.name}/${group.externalId}`}>
                  <td>
                    <Link href={routes.group(group.name, group.directory.name)}>{group.name}</Link>
                  </td>
                  <td>{group.description || <span className="hint">none</span>}</td>
                  <td>{group.directory.name}</td>
                  <td>
                    {group.local ? (
                      <span className="badge badge-local">Local</span>
                    ) : (
                      <span className="badge">Provider</span>
                    )}
                    {group.active ? null : <span className="badge status-disabled">Inactive</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {connection && connection.nodes.length === 0 ? <p>No group matches.</p> : null}
      {connection ? (
        <Pager
          pages={pages}
          pageSize={PAGE_SIZE}
          shown={connection.nodes.length}
          totalCount={connection.totalCount}
          endCursor={connection.pageInfo.endCursor}
          hasNextPage={connection.pageInfo.hasNextPage}
          noun="groups"
          label="Pages of groups"
        />
      ) : null}
    </section>
  );
}
