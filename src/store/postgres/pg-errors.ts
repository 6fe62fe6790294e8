import { DirectoryError } from '../../domain/errors';
import { scrubPassword, type PostgresTarget } from './target';

/** SQLSTATE codes the store reacts to (https://www.postgresql.org/docs/current/errcodes-appendix.html). */
export const SQLSTATE = {
  uniqueViolation: '23505',
  /** "invalid byte sequence for encoding UTF8: 0x00": a U+0000 in a text parameter. */
  characterNotInRepertoire: '22021',
  /** A `\u0000` escape in JSON cast to jsonb. */
  untranslatableCharacter: '22P05',
} as const;

/** The SQLSTATE of a server error, or undefined for anything else. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Why connecting to `target` failed, as one CONFIGURATION error whose message says what to check:
 * unreachable, no answer in time, credentials refused, no such database. Never the password.
 */
export function connectionError(error: unknown, target: PostgresTarget, timeoutMs: number): DirectoryError {
  const at = `PostgreSQL at ${target.host}:${target.port}`;
  const code = sqlState(error) ?? String((error as { code?: unknown } | null)?.code ?? '');
  const detail = errorText(error);
  let message: string;
  if (code === '28P01' || code === '28000')
    message = `${at} refused the credentials of user "${target.user}": ${detail}`;
  else if (/client password must be a string/.test(detail))
    message = `${at} asks for a password and the store URL gives none (postgres://USER:PASSWORD@HOST:PORT/DATABASE)`;
  else if (code === '3D000') message = `${at} has no database "${target.database}": ${detail}`;
  else if (/timeout/i.test(detail)) message = `${at} did not answer within ${timeoutMs / 1000} s (${detail})`;
  else if (/^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE)$/.test(code))
    message = `${at} is unreachable: ${detail}`;
  else message = `${at} cannot be used as the store: ${detail}`;
  return new DirectoryError('CONFIGURATION', scrubPassword(message, target), { cause: error });
}

/**
 * An error's message; for Node's AggregateError (one per address tried) the first inner message or
 * the code. Duck-typed: errors of Node's own sockets may come from another realm (a test sandbox).
 */
function errorText(error: unknown): string {
  const { message, errors, code } = (error ?? {}) as { message?: unknown; errors?: unknown; code?: unknown };
  if (typeof message === 'string' && message !== '') return message;
  const first = Array.isArray(errors) ? (errors[0] as { message?: unknown } | undefined) : undefined;
  if (typeof first?.message === 'string' && first.message !== '') return first.message;
  return String(code ?? error);
}
