import { demoConfig, DEMO_ADMIN_TOKEN, DEMO_APPLICATION_PASSWORD } from '../config/demo';
import { loadConfigFile } from '../config/load';
import type { Config } from '../config/schema';
import { DirectoryError } from '../domain/errors';
import { startCrowdgate } from '../server/bootstrap';
import { createLogger } from '../server/logger';

export interface ServeOptions {
  config?: string;
  demo?: boolean;
  host?: string;
  port?: string;
  data?: string;
}

/** `crowdgate serve`: runs until SIGINT or SIGTERM. */
export async function serve(options: ServeOptions, out: NodeJS.WritableStream): Promise<void> {
  const config = await resolveConfig(options);
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  const crowdgate = await startCrowdgate(config, createLogger());
  out.write(banner(config, crowdgate.server.url, Boolean(options.demo)));
  await stopped;
  await crowdgate.stop();
}

async function resolveConfig(options: ServeOptions): Promise<Config> {
  if (options.demo && options.config) throw new DirectoryError('CONFIGURATION', '--demo and --config cannot be used together');
  if (!options.demo && !options.config) throw new DirectoryError('CONFIGURATION', 'give --config FILE, or --demo for the embedded demo');
  const port = options.port === undefined ? undefined : parsePort(options.port);
  const overrides = { ...(options.host ? { host: options.host } : {}), ...(port !== undefined ? { port } : {}), ...(options.data ? { dataDir: options.data } : {}) };
  if (options.demo) return demoConfig(overrides);
  const config = await loadConfigFile(options.config!);
  return {
    ...config,
    server: { ...config.server, ...(overrides.host ? { host: overrides.host } : {}), ...(port !== undefined ? { port } : {}) },
    ...(overrides.dataDir ? { dataDir: overrides.dataDir } : {}),
  };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new DirectoryError('CONFIGURATION', `--port: expected a port number 0-65535, not "${text}"`);
  return port;
}

function banner(config: Config, url: string, demo: boolean): string {
  const crowdUrl = `${url}${config.server.contextPath}`;
  const lines = [
    `crowdgate is serving ${config.directories.length} director${config.directories.length === 1 ? 'y' : 'ies'} from ${config.dataDir}`,
    '',
    `  Crowd server URL (Jira/Confluence/Bitbucket → User Directories → Add → Atlassian Crowd): ${crowdUrl}`,
    `  GraphQL API and IDE: ${url}/graphql`,
  ];
  if (demo) {
    lines.push(
      `  Crowd application name / password: demo / ${DEMO_APPLICATION_PASSWORD} (allowed from loopback only)`,
      `  GraphQL administrator token: ${DEMO_ADMIN_TOKEN}  (Authorization: Bearer ${DEMO_ADMIN_TOKEN})`,
      '',
      `  Try: curl -u demo:demo '${crowdUrl}/rest/usermanagement/1/search?entity-type=user&max-results=5'`,
    );
  }
  lines.push('', 'Press Ctrl+C to stop.', '');
  return lines.join('\n');
}
