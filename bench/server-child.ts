/**
 * Parent side of bench/fuzz-server.ts: fork it, wait for its URL, ask for its memory after GC,
 * count the warnings and errors it logs, stop it. And the least-squares slope the memory goals use.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ServerChild {
  readonly child: ChildProcess;
  readonly url: string;
  /** process.memoryUsage() of the child after two full GCs. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Error and warning lines logged so far (JSON objects). */
  readonly logged: Array<Record<string, unknown>>;
  stop(): Promise<void>;
}

export function startServerChild(args: string[]): Promise<ServerChild> {
  const child = fork(join(__dirname, 'fuzz-server.js'), args, {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  const logged: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        logged.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logged.push({ level: 'stderr', message: line });
      }
    }
  });
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(
        new Error(
          `server child exited with ${code}: ${logged
            .map((l) => l.message)
            .join(' | ')
            .slice(0, 2000)}`,
        ),
      );
    child.once('exit', onExit);
    child.on('message', function ready(message: { ready?: string }) {
      if (!message.ready) return;
      child.off('message', ready);
      child.off('exit', onExit);
      resolve({
        child,
        url: message.ready,
        logged,
        memory: () =>
          new Promise((done) => {
            const listener = (m: { mem?: NodeJS.MemoryUsage }) => {
              if (!m.mem) return;
              child.off('message', listener);
              done(m.mem);
            };
            child.on('message', listener);
            child.send({ mem: true });
          }),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
            child.once('exit', () => {
              clearTimeout(timer);
              done();
            });
            child.send({ stop: true });
          }),
      });
    });
  });
}

/** Least-squares slope of y over x (0 with fewer than two points). */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export const MB = 1024 * 1024;
