import { useEffect, useRef, useState } from 'react';
import { ErrorNotice } from '../ui/notice';
import { plural } from '../ui/format';
import { previewSettings, type Collision, type Preview } from './queries';

/** How long the settings must stay unchanged before the tester asks the provider again. */
const DEBOUNCE_MS = 500;
export const TESTER_SAMPLE = 20;

/**
 * The username tester: real sample users from the provider (previewDirectory, sample 20), the
 * value each username comes from → the Crowd username it becomes, collisions flagged. Asked again
 * (debounced) whenever the settings change; an answer to older settings is dropped.
 */
export function UsernameTester({
  input,
  ready,
  source,
}: {
  /** The DirectoryInput to preview. */
  readonly input: Record<string, unknown>;
  /** False while the settings are not complete enough to ask the provider (the reason is shown). */
  readonly ready: string | true;
  readonly source: string;
}) {
  const [preview, setPreview] = useState<Preview | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);
  const key = JSON.stringify(input);

  useEffect(() => {
    if (ready !== true) return;
    const ticket = ++latest.current;
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(() => {
      previewSettings(JSON.parse(key) as Record<string, unknown>, TESTER_SAMPLE, controller.signal)
        .then((answer) => {
          if (ticket !== latest.current) return;
          setPreview(answer);
          setError(undefined);
        })
        .catch((e: unknown) => {
          if (ticket === latest.current && !controller.signal.aborted) setError(e);
        })
        .finally(() => {
          if (ticket === latest.current) setLoading(false);
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, ready]);

  const collisionOf = new Map<string, { collision: Collision; kept: boolean }>();
  for (const c of preview?.collisions ?? []) {
    if (c.kind !== 'user') continue;
    collisionOf.set(c.keptBy, { collision: c, kept: true });
    for (const r of c.renamed) collisionOf.set(r.externalId, { collision: c, kept: false });
  }
  const userCollisions = (preview?.collisions ?? []).filter((c) => c.kind === 'user');

  return (
    <section className="username-tester card" aria-labelledby="username-tester-heading" aria-busy={loading}>
      <h4 id="username-tester-heading">Live tester: sample users from the provider</h4>
      {ready !== true ? <p className="hint">{ready}</p> : null}
      <p className="tester-status" role="status">
        {ready === true && loading ? (
          <>
            <span className="spinner" aria-hidden="true" /> Reading sample users…
          </>
        ) : preview && ready === true ? (
          `${plural(preview.users.length, 'sample user')} of ${plural(preview.counts.users, 'user')}; ${
            userCollisions.length === 0 ? 'no collision' : plural(userCollisions.length, 'collision')
          }`
        ) : (
          ''
        )}
      </p>
      <ErrorNotice error={error} all />
      {preview && preview.users.length > 0 ? (
        <div className="table-scroll">
          <table className="tester-table">
            <caption className="visually-hidden">Usernames before and after the transforms</caption>
            <thead>
              <tr>
                <th scope="col">Before ({source || 'login'})</th>
                <th scope="col">After: Crowd username</th>
                <th scope="col">Collision</th>
              </tr>
            </thead>
            <tbody>
              {preview.users.map((u) => {
                const hit = collisionOf.get(u.externalId);
                return (
                  <tr key={u.externalId} className={hit ? 'collides' : undefined} data-before={u.usernameSource}>
                    <td className="mono">{u.usernameSource}</td>
                    <td className="mono after-cell" data-after>
                      <span aria-hidden="true">→ </span>
                      {u.name}
                    </td>
                    <td>
                      {hit ? (
                        <span className="badge collision">
                          {hit.kept
                            ? `Collision: keeps “${hit.collision.name}”`
                            : `Collision: “${hit.collision.name}” taken, renamed`}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
      {userCollisions.length > 0 ? (
        <div className="notice warning" data-testid="collisions">
          <p>
            {plural(userCollisions.length, 'username collides', 'usernames collide')}: one person keeps the name, the
            others get a suffix. Change the transforms so that every person keeps a name of their own.
          </p>
          <ul>
            {userCollisions.map((c) => (
              <li key={c.name}>
                <code>{c.name}</code>: renamed {c.renamed.map((r) => r.name).join(', ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
