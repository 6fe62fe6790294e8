import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI } from '../cli/helpers';

export interface LogLine {
  readonly message?: string;
  readonly [field: string]: unknown;
}

export interface Serving {
  readonly child: ChildProcess;
  readonly url: string;
  /** Exit code (or signal name) once the process has ended. */
  readonly exited: Promise<number | string | null>;
  /** Resolves with the first log line whose message is `message` (already written or still to come). */
  logged(message: string): Promise<LogLine>;
  /** Every log line so far. */
  lines(): LogLine[];
}

/**
 * The environment of a production start: jest sets NODE_ENV=test, and libraries behave
 * differently under it (Apollo Server, for one, registers its own SIGTERM handler only outside
 * tests), so the child must not inherit it.
 */
function productionEnvironment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CROWDGATE_LOG_FORMAT: 'json', ...extra };
  delete env['NODE_ENV'];
  delete env['CROWDGATE_LOG_LEVEL'];
  return env;
}

/** `crowdgate serve --config FILE` as a child process; resolves once it printed its URL. */
export async function serve(config: string, env: NodeJS.ProcessEnv = {}): Promise<Serving> {
  const child = spawn(process.execPath, [CLI, 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: productionEnvironment(env),
  });
  const lines: LogLine[] = [];
  const waiting: Array<{ message: string; resolve: (line: LogLine) => void }> = [];
  let raw = '';
  createInterface({ input: child.stderr! }).on('line', (text) => {
    raw += `${text}\n`;
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      return; // not a log line (e.g. "crowdgate: …" on a failed start)
    }
    lines.push(line);
    for (const waiter of waiting.filter((w) => w.message === line.message)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /Crowd server URL .*: (http:\/\/\S+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`crowdgate exited with ${code} before serving:\n${raw}`)));
  });
  return {
    child,
    url,
    exited,
    lines: () => [...lines],
    logged: (message) => {
      const seen = lines.find((line) => line.message === message);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ message, resolve }));
    },
  };
}
