import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths';
import { createInterface } from 'node:readline';

/** The compiled CLI, as `npx crowdgate` runs it (`npm test` builds first). */
export const CLI = join(packageRoot(), 'dist', 'src', 'cli', 'main.js');

export interface RunningEmulate {
  readonly child: ChildProcess;
  /** The one JSON line `emulate --json` printed. */
  readonly line: string;
  stop(): Promise<void>;
}

/** Starts `crowdgate emulate KIND … --json` and resolves with its one JSON line; the process keeps running until `stop`. */
export async function emulate(kind: string, size = { users: 25, groups: 4 }): Promise<RunningEmulate> {
  const args = [
    CLI,
    'emulate',
    kind,
    '--users',
    String(size.users),
    '--groups',
    String(size.groups),
    '--port',
    '0',
    '--json',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulate exited with ${code}`)));
  });
  return {
    child,
    line,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}
