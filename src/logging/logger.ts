import { DirectoryError } from '../domain/errors';

/**
 * A minimal structured logger: one JSON object per line on stderr. Callers pass facts, never
 * secrets: no passwords, tokens or Authorization headers are ever given to it.
 *
 * `debug` is for what an operator needs only while investigating (a client that hung up, a
 * connection refused over a limit): off unless the level is `debug` (`CROWDGATE_LOG_LEVEL`).
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Writes the lines at `level` and above; the others cost one comparison. */
export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  level: LogLevel = 'info',
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const log = (at: LogLevel) =>
    LOG_LEVELS.indexOf(at) < threshold
      ? () => {}
      : (message: string, fields: Record<string, unknown> = {}) =>
          write(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields }));
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** The level named by `CROWDGATE_LOG_LEVEL` (default `info`); any other value is a configuration error. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const value = env['CROWDGATE_LOG_LEVEL']?.trim().toLowerCase();
  if (value === undefined || value === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === value);
  if (!level)
    throw new DirectoryError(
      'CONFIGURATION',
      `CROWDGATE_LOG_LEVEL: expected one of ${LOG_LEVELS.join(', ')}, not "${env['CROWDGATE_LOG_LEVEL']}"`,
    );
  return level;
}

/** Error details for the log (message and stack), never for an answer to a client. */
export function describeError(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
