import { parseConfig } from '../../src/config/load';
import { DEFAULT_SERVER_LIMITS, httpServerOptions, serverLimits } from '../../src/http/server-limits';
import { createLogger, logLevelFromEnv } from '../../src/logging/logger';

const HASH = 'scrypt$N=32768,r=8,p=1$+8+PGQhhvq7yN9xF1YjSxg==$SWOSQ9XHPLCpXRkAc71O6UGf/N7ik9B574ntLrchsNk=';
const withServer = (server: string) => `
server: ${server}
directories: [{ name: corp, provider: demo }]
applications: [{ name: jira, passwordHash: "${HASH}", directories: [corp] }]
`;
const parse = (server: string) => parseConfig(withServer(server), 'crowdgate.yaml', { LIMIT: '128' });
function problem(server: string): string {
  try {
    parse(server);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

/** The `server:` HTTP limits: optional keys, defaults filled in by the server. */
describe('server limits in the configuration', () => {
  test('absent keys take the defaults: 10 s headers, 30 s request, 65 s keep-alive, 256 connections, 64 KiB headers', () => {
    const config = parse('{ port: 8095 }');
    expect(serverLimits(config.server)).toEqual(DEFAULT_SERVER_LIMITS);
    expect(DEFAULT_SERVER_LIMITS).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 65_000,
      maxConnectionsPerAddress: 256,
      maxHeaderBytes: 65_536,
    });
  });

  test('every key can be set, also from an environment variable', () => {
    const config = parse(
      '{ headersTimeoutMs: 5000, requestTimeoutMs: 20000, keepAliveTimeoutMs: 75000, maxConnectionsPerAddress: "${LIMIT}", maxHeaderBytes: 131072 }',
    );
    expect(serverLimits(config.server)).toEqual({
      headersTimeoutMs: 5000,
      requestTimeoutMs: 20000,
      keepAliveTimeoutMs: 75000,
      maxConnectionsPerAddress: 128,
      maxHeaderBytes: 131072,
    });
    expect(serverLimits(parse('{ maxConnectionsPerAddress: 0 }').server).maxConnectionsPerAddress).toBe(0);
  });

  test('out-of-range values and a headers timeout above the request timeout are errors', () => {
    expect(problem('{ maxHeaderBytes: 1000 }')).toBe('crowdgate.yaml: server.maxHeaderBytes: must be at least 16384');
    expect(problem('{ headersTimeoutMs: 10 }')).toBe('crowdgate.yaml: server.headersTimeoutMs: must be at least 1000');
    expect(problem('{ requestTimeoutMs: 5000 }')).toBe(
      'crowdgate.yaml: server.headersTimeoutMs: must not exceed requestTimeoutMs (5000)',
    );
  });

  test('node options: the timeouts are checked often enough to hold', () => {
    expect(httpServerOptions(DEFAULT_SERVER_LIMITS)).toEqual({
      headersTimeout: 10_000,
      requestTimeout: 30_000,
      keepAliveTimeout: 65_000,
      maxHeaderSize: 65_536,
      connectionsCheckingInterval: 1_000,
      requireHostHeader: false,
    });
    expect(
      httpServerOptions(serverLimits({ headersTimeoutMs: 300, requestTimeoutMs: 600 })).connectionsCheckingInterval,
    ).toBe(75);
    // A Config built in code is not validated: the headers timeout is capped at the request timeout.
    expect(serverLimits({ headersTimeoutMs: 9_000, requestTimeoutMs: 1_000 }).headersTimeoutMs).toBe(1_000);
  });
});

describe('log levels', () => {
  test('debug lines are written only at level debug', () => {
    const lines: string[] = [];
    const info = createLogger((line) => lines.push(line));
    info.debug('hidden');
    info.info('shown');
    const debug = createLogger((line) => lines.push(line), 'debug');
    debug.debug('now shown', { code: 'ECONNRESET' });
    const warn = createLogger((line) => lines.push(line), 'warn');
    warn.info('hidden');
    warn.error('shown too');
    expect(
      lines.map((line) => JSON.parse(line) as { level: string; message: string }).map((l) => `${l.level} ${l.message}`),
    ).toEqual(['info shown', 'debug now shown', 'error shown too']);
  });

  test('CROWDGATE_LOG_LEVEL chooses the level; unset leaves it to --log-level / logLevel; anything else is a configuration error', () => {
    expect(logLevelFromEnv({})).toBeUndefined();
    expect(logLevelFromEnv({ CROWDGATE_LOG_LEVEL: ' ' })).toBeUndefined();
    expect(logLevelFromEnv({ CROWDGATE_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(() => logLevelFromEnv({ CROWDGATE_LOG_LEVEL: 'verbose' })).toThrow(
      'CROWDGATE_LOG_LEVEL: expected one of debug, info, warn, error, not "verbose"',
    );
  });
});
