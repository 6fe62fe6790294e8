import { Link } from 'wouter';
import { routes } from '../../routes';
import { providerLabel } from '../../ui/directory-status';
import type { BrowsedGroup } from './group-page';

export interface OriginSettings {
  localGroups: string[];
  groupMappings: Array<{ from: string; to: string }>;
}

/**
 * Where a group comes from: the provider (synchronised as it is there), the directory's
 * `localGroups` (every user of the directory joins it), or `groupMappings` (members of a provider
 * group join it). A local group may be both a local group and a mapping target.
 */
export function GroupOrigin({ group }: { group: BrowsedGroup }) {
  const directory = group.directory.name;
  const settings = group.directory.settings;
  const same = (a: string) => a.toLowerCase() === group.name.toLowerCase();
  const isLocalGroup = Boolean(settings?.localGroups.some(same));
  const mappings = settings?.groupMappings.filter((m) => same(m.to)) ?? [];
  return (
    <section aria-labelledby="origin-heading" className="card group-origin">
      <h2 id="origin-heading">Where it comes from</h2>
      <ul className="group-origin-list">
        {!group.local ? (
          <li data-origin="provider">
            <span className="badge">Provider group</span> Synchronised from {providerLabel(group.directory.provider)}{' '}
            with its members (external id <code>{group.externalId}</code>).
          </li>
        ) : null}
        {isLocalGroup ? (
          <li data-origin="local">
            <span className="badge badge-local">Local group</span> Listed in the local groups of{' '}
            <Link href={routes.directory(directory)}>{directory}</Link>: every user of the directory joins it.
          </li>
        ) : null}
        {mappings.map((m) => (
          <li key={m.from} data-origin="mapping">
            <span className="badge badge-local">Group mapping</span> Members of the provider group{' '}
            <Link href={routes.group(m.from, directory)}>{m.from}</Link> join it (mapping {m.from} → {m.to}).
          </li>
        ))}
        {group.local && !isLocalGroup && mappings.length === 0 ? (
          <li data-origin="local">
            <span className="badge badge-local">Local group</span> Created from the settings of{' '}
            <Link href={routes.directory(directory)}>{directory}</Link>
            {settings ? ', which no longer name it.' : '.'}
          </li>
        ) : null}
      </ul>
    </section>
  );
}
