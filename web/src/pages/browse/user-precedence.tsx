import { Link } from 'wouter';
import { routes } from '../../routes';
import { ErrorNotice } from '../../ui/notice';
import { useQuery } from '../../ui/use-query';

interface PrecedenceData {
  directories: Array<{ name: string; status: string }>;
  applications: Array<{ name: string; enabled: boolean; directories: string[] }>;
}

const PRECEDENCE_QUERY = '{ directories { name status } applications { name enabled directories } }';

/**
 * One query asking every served directory whether it holds `name`, each under its own alias
 * (`d0: users(directories: [$d0], filter: { name: { equals: $name } }, first: 1)`): the
 * directories are few, and one round trip answers them all. Names are variables, never spliced.
 */
export function holdersQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$d${i}: String!`).join(', ');
  const fields = Array.from(
    { length: count },
    (_, i) =>
      `d${i}: users(directories: [$d${i}], filter: { name: { equals: $name } }, first: 1) { nodes { name active } }`,
  ).join('\n  ');
  return `query SameName($name: String!${variables ? `, ${variables}` : ''}) {\n  ${fields || '__typename'}\n}`;
}

type HoldersData = Record<string, { nodes: Array<{ name: string; active: boolean }> }>;

/**
 * Which directory wins when a username exists in two: every directory holding the name in
 * precedence order, the first served, the others hidden behind it (Crowd asks the directories in
 * order and stops at the first). An application may order its directories differently: each
 * application's own winner is listed too.
 */
export function UserPrecedence({ name, shownDirectory }: { name: string; shownDirectory: string }) {
  const context = useQuery<PrecedenceData>(PRECEDENCE_QUERY);
  const served = (context.data?.directories ?? []).filter((d) => d.status !== 'DISABLED');
  const variables: Record<string, unknown> = { name };
  served.forEach((d, i) => (variables[`d${i}`] = d.name));
  const holders = useQuery<HoldersData>(holdersQuery(served.length), variables, served.length === 0);
  const holding = holders.data
    ? served
        .map((d, i) => ({ directory: d.name, user: holders.data?.[`d${i}`]?.nodes[0] }))
        .filter((h): h is { directory: string; user: { name: string; active: boolean } } => Boolean(h.user))
    : [];
  const winner = holding[0]?.directory;
  const disabled = (context.data?.directories ?? []).filter((d) => d.status === 'DISABLED');
  return (
    <section aria-labelledby="precedence-heading" className="browse-precedence">
      <h2 id="precedence-heading">Which directory wins</h2>
      <ErrorNotice error={context.error} all />
      <ErrorNotice error={holders.error} all />
      {holders.loading && !holders.data ? <p role="status">Looking for “{name}” in every directory…</p> : null}
      {holders.data && holding.length <= 1 ? (
        <p>
          Only <strong>{holding[0]?.directory ?? shownDirectory}</strong> holds the username “{name}”: it is served from
          there.
        </p>
      ) : null}
      {holding.length > 1 ? (
        <>
          <p>
            {holding.length} directories hold the username “{name}”. Crowd asks the directories in precedence order and
            stops at the first that has the name: <strong>{winner}</strong> serves it, the others are hidden behind it.
          </p>
          <div className="table-scroll">
            <table className="precedence-table">
              <caption className="visually-hidden">
                Directories holding the username {name}, in precedence order
              </caption>
              <thead>
                <tr>
                  <th scope="col">Precedence</th>
                  <th scope="col">Directory</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">User there</th>
                </tr>
              </thead>
              <tbody>
                {holding.map((h) => (
                  <tr key={h.directory} data-directory={h.directory}>
                    <td>{served.findIndex((d) => d.name === h.directory) + 1}</td>
                    <td>
                      <Link href={routes.directory(h.directory)}>{h.directory}</Link>
                    </td>
                    <td>
                      {h.directory === winner ? (
                        <span className="badge status-ok">Served (wins)</span>
                      ) : (
                        <span className="badge status-disabled">Hidden by {winner}</span>
                      )}
                    </td>
                    <td>
                      {h.directory === shownDirectory ? (
                        'shown on this page'
                      ) : (
                        <Link href={routes.user(h.user.name, h.directory)}>
                          {h.user.name} in {h.directory}
                        </Link>
                      )}
                      {h.user.active ? '' : ' (inactive)'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ApplicationWinners
            holding={holding.map((h) => h.directory)}
            applications={context.data?.applications ?? []}
          />
        </>
      ) : null}
      {disabled.length > 0 ? (
        <p className="hint">
          Disabled directories are not served and not searched: {disabled.map((d) => d.name).join(', ')}.
        </p>
      ) : null}
    </section>
  );
}

/** Each application sees its own directories in its own order: its winner may differ. */
function ApplicationWinners({
  holding,
  applications,
}: {
  holding: readonly string[];
  applications: PrecedenceData['applications'];
}) {
  const held = new Set(holding.map((d) => d.toLowerCase()));
  const rows = applications.map((a) => ({
    name: a.name,
    winner: a.directories.find((d) => held.has(d.toLowerCase())),
  }));
  if (rows.length === 0) return null;
  return (
    <>
      <h3 className="browse-subheading">As each Crowd application sees it</h3>
      <ul className="browse-plain-list" aria-label="Winning directory per application">
        {rows.map((r) => (
          <li key={r.name}>
            <Link href={routes.application(r.name)}>{r.name}</Link>:{' '}
            {r.winner ? `served from ${r.winner}` : 'sees none of these directories'}
          </li>
        ))}
      </ul>
    </>
  );
}
