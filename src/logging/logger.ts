import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { DirectoryError } from '../domain/errors';
import { REDACTED_PATHS } from './redaction';

/**
 * The structured logger: pino, one JSON object per line on stderr (`time`, `level`, `pid`,
 * `message`, then the fields); on a terminal, pino-pretty's readable lines instead (set
 * `CROWDGATE_LOG_FORMAT=json` to keep JSON there). Callers pass facts, never secrets; the fields
 * named in redaction.ts are replaced by "[Redacted]" whatever the caller passes, as a second line
 * of defence.
 *
 * `debug` is for what an operator needs only while investigating (one line per HTTP request, a
 * client that hung up, a connection refused over a limit): off unless the level is `debug`.
 * Lines are written synchronously: a crash or `process.exit` loses none.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Whether `debug` lines are written (skip building their fields when not). */
  readonly debugEnabled?: boolean;
}

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A logger writing lines at `level` and above; the others cost one call. `write` receives each
 * JSON line without its newline (tests); default: stderr, readable on a terminal.
 */
export function createLogger(write?: (line: string) => void, level: LogLevel = 'info'): Logger {
  return adapt(pino(pinoOptions(level), write ? lineStream(write) : stderrStream()));
}

function pinoOptions(level: LogLevel) {
  return {
    level,
    messageKey: 'message',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: [...REDACTED_PATHS], censor: '[Redacted]' },
  };
}

function lineStream(write: (line: string) => void): DestinationStream {
  return { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) };
}

function stderrStream(): DestinationStream {
  if (process.stderr.isTTY && process.env['CROWDGATE_LOG_FORMAT'] !== 'json') {
    // Loaded only on a terminal: a server under systemd or in a container never pays for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty({ destination: 2, sync: true, messageKey: 'message', ignore: 'pid', singleLine: true });
  }
  return pino.destination({ dest: 2, sync: true });
}

function adapt(target: PinoLogger): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void =>
      fields ? target[level](fields, message) : target[level](message);
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    get debugEnabled() {
      return target.isLevelEnabled('debug');
    },
  };
}

/** The level named by `CROWDGATE_LOG_LEVEL`, undefined when unset; any other value is a configuration error. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel | undefined {
  const value = env['CROWDGATE_LOG_LEVEL'];
  return value === undefined || value.trim() === '' ? undefined : parseLogLevel('CROWDGATE_LOG_LEVEL', value);
}

/** `text` as a level (case-insensitive); a configuration error naming `source` otherwise. */
export function parseLogLevel(source: string, text: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === text.trim().toLowerCase());
  if (!level)
    throw new DirectoryError('CONFIGURATION', `${source}: expected one of ${LOG_LEVELS.join(', ')}, not "${text}"`);
  return level;
}

/** Error details for the log (message and stack), never for an answer to a client. */
export function describeError(error: unknown): Record<string, unknown> {
  return error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
}

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
