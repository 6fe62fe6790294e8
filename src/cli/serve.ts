import { demoConfig, DEMO_ADMIN_TOKEN, DEMO_APPLICATION_PASSWORD } from '../config/demo';
import { loadConfigFile } from '../config/load';
import { configSchema, type Config } from '../config/schema';
import * as path from 'node:path';
import { parsePostgresUrl } from '../store/postgres/target';
import { DirectoryError } from '../domain/errors';
import { readTlsMaterial } from '../http/tls';
import { startCrowdgate } from '../server/bootstrap';
import { startCrowdgateCluster } from '../server/cluster/primary';
import { createLogger, logLevelFromEnv, parseLogLevel } from '../logging/logger';

/** Where a first start without --config keeps its data (the store and the secret key). */
const DEFAULT_DATA_DIR = './data';

export interface ServeOptions {
  config?: string;
  demo?: boolean;
  host?: string;
  port?: string;
  data?: string;
  workers?: string;
  'log-level'?: string;
}

/** `crowdgate serve`: runs until SIGINT or SIGTERM; SIGHUP reloads the `server.tls` files. */
export async function serve(options: ServeOptions, out: NodeJS.WritableStream): Promise<void> {
  // First: a wrong --log-level or CROWDGATE_LOG_LEVEL is a configuration error before anything starts.
  const chosenLevel = options['log-level'] ? parseLogLevel('--log-level', options['log-level']) : logLevelFromEnv();
  const resolved = await resolveConfig(options);
  // Unusable TLS files are a configuration error before the store is opened or anything synchronised.
  if (resolved.server.tls) await readTlsMaterial(resolved.server.tls);
  // Serving workers get the level in their configuration.
  const config = { ...resolved, logLevel: chosenLevel ?? resolved.logLevel ?? 'info' };
  const logger = createLogger(undefined, config.logLevel);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const source = { fileLabel: options.demo ? 'the built-in demo' : (options.config ?? 'the configuration file') };
  const crowdgate =
    config.server.workers > 1
      ? await startCrowdgateCluster(config, logger, source)
      : await startCrowdgate(config, logger, source);
  const url = 'server' in crowdgate ? crowdgate.server.url : crowdgate.url;
  out.write(banner(config, url, Boolean(options.demo), crowdgate.setupToken));
  logger.info('serving', { url, workers: config.server.workers, directories: config.directories.length });
  // `kill -HUP` re-reads the TLS files (src/http/tls.ts); without server.tls, SIGHUP ends the process as before.
  const reloadTls = () => void crowdgate.reloadTls();
  if (config.server.tls) process.on('SIGHUP', reloadTls);
  // `kill -USR2` replaces the serving workers one by one (an upgrade without refusing a connection).
  const restart = () => {
    if ('restartWorkers' in crowdgate) void crowdgate.restartWorkers();
    else logger.warn('SIGUSR2 replaces serving workers; this crowdgate serves from one process (server.workers: 1)');
  };
  process.on('SIGUSR2', restart);
  await stopped;
  logger.info('stopping: draining requests, abandoning runs that are still reading');
  await crowdgate.stop();
  logger.info('stopped');
  process.off('SIGHUP', reloadTls);
  process.off('SIGUSR2', restart);
}

async function resolveConfig(options: ServeOptions): Promise<Config> {
  if (options.demo && options.config)
    throw new DirectoryError('CONFIGURATION', '--demo and --config cannot be used together');

  const port = options.port === undefined ? undefined : parseInteger('--port', options.port, 0, 65535);
  const workers = options.workers === undefined ? undefined : parseInteger('--workers', options.workers, 1, 64);
  const overrides = {
    ...(options.host ? { host: options.host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(options.data ? { dataDir: options.data } : {}),
  };
  const config = options.demo
    ? await demoConfig(overrides)
    : options.config
      ? await loadConfigFile(options.config)
      : // First start without a file: an empty configuration; everything is made through the API.
        configSchema.parse({ dataDir: path.resolve(options.data ?? DEFAULT_DATA_DIR) });
  return {
    ...config,
    server: {
      ...config.server,
      ...(overrides.host ? { host: overrides.host } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(workers !== undefined ? { workers } : {}),
    },
    ...(overrides.dataDir && !options.demo ? { dataDir: overrides.dataDir } : {}),
  };
}

function parseInteger(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new DirectoryError('CONFIGURATION', `${option}: expected a whole number ${min}-${max}, not "${text}"`);
  return value;
}

/** Where the data is, for the banner: the data directory, or the PostgreSQL server without its password. */
function storeLabel(config: Config): string {
  return config.store?.kind === 'postgres' ? `PostgreSQL ${parsePostgresUrl(config.store.url).label}` : config.dataDir;
}

function banner(config: Config, url: string, demo: boolean, setupToken: string | undefined): string {
  const crowdUrl = `${url}${config.server.contextPath}`;
  const lines = [
    `crowdgate is serving ${config.directories.length} director${config.directories.length === 1 ? 'y' : 'ies'} from ${storeLabel(config)}`,
    '',
    `  Crowd server URL (Jira/Confluence/Bitbucket → User Directories → Add → Atlassian Crowd): ${crowdUrl}`,
    `  Administration console: ${url}/admin/`,
    `  GraphQL API and IDE: ${url}/graphql`,
  ];
  if (demo) {
    lines.push(
      `  Crowd application name / password: demo / ${DEMO_APPLICATION_PASSWORD} (allowed from loopback only)`,
      `  Console sign-in and GraphQL administrator token: ${DEMO_ADMIN_TOKEN}  (Authorization: Bearer ${DEMO_ADMIN_TOKEN})`,
      '',
      `  Try: curl -u demo:demo '${crowdUrl}/rest/usermanagement/1/search?entity-type=user&max-results=5'`,
    );
  }
  if (setupToken) {
    lines.push(
      '',
      '  No administrator token exists yet. One-time setup token (valid 24 hours, until the first token is made):',
      `    ${setupToken}`,
      `  Sign in to the console with it (${url}/admin/) and create your administrator token, or with curl:`,
      `    curl -s ${url}/graphql -H 'Authorization: Bearer ${setupToken}' -H 'Content-Type: application/json' \\`,
      `      -d '{"query":"mutation { createAdminToken(name: \\"admin\\", scope: ADMIN) { token } }"}'`,
    );
  }
  lines.push('', 'Press Ctrl+C to stop.', '');
  return lines.join('\n');
}
