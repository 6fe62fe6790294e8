import { Link } from 'wouter';

/**
 * Names as a list of links (groups or users of one directory), or a sentence when there are none.
 * `total` above the number listed says the list is a first page.
 */
export function NameList({
  names,
  total,
  href,
  label,
  empty,
}: {
  names: readonly string[];
  total?: number;
  href(name: string): string;
  /** Names the list for assistive technology. */
  label: string;
  empty: string;
}) {
  if (names.length === 0) return <p className="hint">{empty}</p>;
  return (
    <>
      <ul className="browse-name-list" aria-label={label}>
        {names.map((name) => (
          <li key={name}>
            <Link href={href(name)}>{name}</Link>
          </li>
        ))}
      </ul>
      {total !== undefined && total > names.length ? (
        <p className="hint">
          The first {names.length.toLocaleString('en')} of {total.toLocaleString('en')}.
        </p>
      ) : null}
    </>
  );
}
