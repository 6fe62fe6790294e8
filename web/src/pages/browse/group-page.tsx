import { Link, useSearch } from 'wouter';
import { routes } from '../../routes';
import { formatDateTime } from '../../ui/format';
import { ErrorNotice, Notice } from '../../ui/notice';
import { useQuery } from '../../ui/use-query';
import { providerLabel } from '../../ui/directory-status';
import { AttributesTable } from './attributes-table';
import { Fact } from './fact';
import { GroupMembers } from './group-members';
import { GroupOrigin, type OriginSettings } from './group-origin';
import { NameList } from './name-list';
import { nameFromAddress } from './url-state';
import './browse.css';

const RELATIVES_LIMIT = 1000;

interface GroupNames {
  totalCount: number;
  nodes: Array<{ name: string }>;
}

export interface BrowsedGroup {
  name: string;
  description: string;
  externalId: string;
  local: boolean;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  directory: { name: string; provider: string; settings: OriginSettings | null };
  attributes: Array<{ name: string; values: string[] }>;
  children: GroupNames;
  allChildren: GroupNames;
  parents: GroupNames;
  allParents: GroupNames;
}

const GROUP_QUERY = `query BrowseGroup($name: String!, $directories: [String!], $limit: Int!) {
  group(name: $name, directories: $directories) {
    name description externalId local active createdAt updatedAt
    directory { name provider settings { localGroups groupMappings { from to } } }
    attributes { name values }
    children: childGroups(first: $limit) { totalCount nodes { name } }
    allChildren: childGroups(first: $limit, nested: true) { totalCount nodes { name } }
    parents: parentGroups(first: $limit) { totalCount nodes { name } }
    allParents: parentGroups(first: $limit, nested: true) { totalCount nodes { name } }
  }
}`;

/**
 * One group: where it comes from (provider group, local group, mapping), its direct and nested
 * members, its child and parent groups.
 */
export function GroupPage({ params }: { params: { name: string } }) {
  const name = nameFromAddress('groups', params.name);
  const directory = new URLSearchParams(useSearch() === '' ? '' : window.location.search).get('directory') ?? '';
  const query = useQuery<{ group: BrowsedGroup | null }>(GROUP_QUERY, {
    name,
    directories: directory ? [directory] : null,
    limit: RELATIVES_LIMIT,
  });
  const group = query.data?.group;
  return (
    <section>
      <p className="browse-crumb">
        <Link href={routes.groups}>Groups</Link>
      </p>
      <div className="page-head">
        <h1 tabIndex={-1}>{group?.name ?? name}</h1>
      </div>
      <ErrorNotice error={query.error} all />
      {query.loading && !query.data ? <p role="status">Loading…</p> : null}
      {query.data && !group ? (
        <Notice kind="warning">
          <p>
            No group named “{name}” {directory ? `in the directory ${directory}` : 'in any directory'}. It may have been
            removed by the last synchronisation or left out by the directory&apos;s settings.
          </p>
          <p>
            <Link href={routes.groups}>Search the groups</Link>
          </p>
        </Notice>
      ) : null}
      {group ? <GroupDetails group={group} /> : null}
    </section>
  );
}

/** The names of `all` that are not in `direct`: what nesting adds. */
function beyond(all: GroupNames, direct: GroupNames): string[] {
  const seen = new Set(direct.nodes.map((g) => g.name.toLowerCase()));
  return all.nodes.map((g) => g.name).filter((g) => !seen.has(g.toLowerCase()));
}

function GroupDetails({ group }: { group: BrowsedGroup }) {
  const directory = group.directory.name;
  const href = (name: string) => routes.group(name, directory);
  return (
    <>
      <div className="card">
        <p>{group.description || <span className="hint">No description.</span>}</p>
        <dl className="facts">
          <Fact term="Directory">
            <Link href={routes.directory(directory)}>{directory}</Link> ({providerLabel(group.directory.provider)})
          </Fact>
          <Fact term="External id">
            <code>{group.externalId}</code>
          </Fact>
          <Fact term="Status">{group.active ? 'Active' : 'Inactive'}</Fact>
          <Fact term="Created">{formatDateTime(group.createdAt)}</Fact>
          <Fact term="Updated">{formatDateTime(group.updatedAt)}</Fact>
        </dl>
      </div>
      <GroupOrigin group={group} />
      <div className="two-columns">
        <GroupMembers
          group={group.name}
          directory={directory}
          nested={false}
          heading="Direct members"
          id="direct-members"
        />
        <GroupMembers
          group={group.name}
          directory={directory}
          nested
          heading="All members, through nested groups too"
          id="nested-members"
        />
      </div>
      <div className="two-columns">
        <section aria-labelledby="child-groups">
          <h2 id="child-groups">Child groups ({group.children.totalCount.toLocaleString('en')})</h2>
          <NameList
            names={group.children.nodes.map((g) => g.name)}
            total={group.children.totalCount}
            href={href}
            label="Child groups"
            empty="No child group."
          />
          <h3 className="browse-subheading">Further down (children of children)</h3>
          <NameList
            names={beyond(group.allChildren, group.children)}
            href={href}
            label="Descendant groups beyond the children"
            empty="None."
          />
        </section>
        <section aria-labelledby="parent-groups">
          <h2 id="parent-groups">Parent groups ({group.parents.totalCount.toLocaleString('en')})</h2>
          <NameList
            names={group.parents.nodes.map((g) => g.name)}
            total={group.parents.totalCount}
            href={href}
            label="Parent groups"
            empty="Member of no group."
          />
          <h3 className="browse-subheading">Further up (parents of parents)</h3>
          <NameList
            names={beyond(group.allParents, group.parents)}
            href={href}
            label="Ancestor groups beyond the parents"
            empty="None."
          />
        </section>
      </div>
      <h2>Attributes</h2>
      <AttributesTable attributes={group.attributes} caption={`Attributes of ${group.name}`} />
    </>
  );
}
