import { DirectoryError } from '../../domain/errors';

/**
 * What a PostgreSQL URL points at, for messages: never the password. `postgres://` and
 * `postgresql://` URLs only (libpq's key=value strings are not accepted: one form to document).
 */
export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  /** Kept only so that messages can be scrubbed of it. */
  readonly password: string;
  /** `host:port/database`, for messages. */
  readonly label: string;
}

export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw notAUrl();
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') throw notAUrl();
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const host = parsed.searchParams.get('host') ?? (decode(parsed.hostname) || 'localhost');
  const port = Number(parsed.port || parsed.searchParams.get('port') || 5432);
  const user = decode(parsed.username) || process.env.PGUSER || process.env.USER || '';
  const database = decode(parsed.pathname.replace(/^\//, '')) || user;
  return { host, port, database, user, password: decode(parsed.password), label: `${host}:${port}/${database}` };
}

const MIN_SCRUBBED = 4;

/** `text` with the password (as given and as URL-encoded) replaced by `***`. */
export function scrubPassword(text: string, target: Pick<PostgresTarget, 'password'>): string {
  // Messages are built from the server's error and the URL's other parts, which never hold the
  // password: this is a second line of defence. A password of a few characters would match
  // ordinary words ("unreachable") and garble the message, so it is not scrubbed.
  if (target.password.length < MIN_SCRUBBED) return text;
  return text.split(target.password).join('***').split(encodeURIComponent(target.password)).join('***');
}

function notAUrl(): DirectoryError {
  return new DirectoryError(
    'CONFIGURATION',
    'the PostgreSQL store URL is not valid: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE',
  );
}
