/**
 * The server side of bench/fuzz.ts and bench/soak.ts, run as a forked CHILD (IPC) so its memory
 * is measured apart from the load generator: `crowdgate serve --demo` (Entra emulator → connector
 * → sync → store) or, with a configuration file, `crowdgate serve --config`, in one process.
 *
 *   fork('dist/bench/fuzz-server.js', ['--data', DIR] | ['--config', FILE], { execArgv: ['--expose-gc'] })
 *
 * Messages: sends `{ ready: url }` once serving; answers `{ mem: true }` with `{ mem: memoryUsage }`
 * measured after two full GCs (when --expose-gc), and `{ stop: true }` by stopping and exiting.
 * Logs warnings and errors as JSON lines on stderr.
 */
import 'reflect-metadata';
import { demoConfig } from '../src/config/demo';
import { loadConfigFile } from '../src/config/load';
import { startCrowdgate } from '../src/server/bootstrap';
import { tuneHeapGrowth } from '../src/server/heap-tuning';
import { createLogger } from '../src/logging/logger';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const config = option('--config')
    ? await loadConfigFile(option('--config')!)
    : await demoConfig({ port: 0, dataDir: option('--data') ?? './data' });
  const logger = createLogger((line) => process.stderr.write(`${line}\n`), 'warn');
  const crowdgate = await startCrowdgate(config, logger);
  await Promise.all(crowdgate.engine.directories().map((d) => crowdgate.engine.idle(d.directory.id)));
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: { mem?: boolean; stop?: boolean }) => {
    if (message.mem) {
      gc?.();
      gc?.();
      process.send!({ mem: process.memoryUsage() });
    } else if (message.stop) {
      void crowdgate.stop().then(() => process.exit(0));
    }
  });
  process.send!({ ready: crowdgate.server.url });
}

tuneHeapGrowth();
main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
