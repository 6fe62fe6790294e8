/**
 * previewDirectory against a full sync's read phase, in the same run: the Entra connector reading
 * the Entra emulator (a child process) of 100k users, 20k groups and 1M memberships with 20 ms
 * added latency per request.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/preview.js [users groups memberships] [--latency MS] [--rounds N]
 *
 * Each round measures, in alternating order (read, preview, preview, read, …), the read phase of
 * a full sync (`readMirror`, what the engine runs before planning) and `previewDirectory` (that
 * read, then the derivation of the whole directory: filters, usernames, collisions, local groups;
 * and the sample). Goal: preview ≤ 1.1× the read phase (medians).
 */
import 'reflect-metadata';
import { DEFAULT_SYNC_SETTINGS } from '../src/config/sync-schema';
import type { EntraDirectoryConfig } from '../src/emulators/entra';
import { createEntraProvider, parseEntraSettings } from '../src/providers/entra';
import { tuneHeapGrowth } from '../src/server/heap-tuning';
import { readMirror } from '../src/sync/mirror-reader';
import { previewDirectory } from '../src/sync/preview';
import {
  benchArgs,
  benchTenant,
  childLink,
  startEmulatorChild,
  Goals,
  mb,
  peakRss,
  runBench,
  secs,
  type BenchSpec,
} from './provider-bench';

type ToEmulator = { readonly type: 'stop' };
type FromEmulator =
  | { readonly type: 'ready'; readonly config: EntraDirectoryConfig; readonly users: number }
  | { readonly type: 'done'; readonly detail: string };

async function serve(spec: BenchSpec): Promise<void> {
  const { startEntraEmulator } = await import('../src/emulators/entra');
  const tenant = await benchTenant(spec);
  const emu = await startEntraEmulator({ tenant, faults: { latencyMs: spec.latencyMs } });
  const send = childLink<ToEmulator, FromEmulator>(() => void emu.close().then(() => process.exit(0)));
  send({ type: 'ready', config: emu.directoryConfig('bench'), users: tenant.users.length });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  tuneHeapGrowth();
  const args = benchArgs(['--latency', '--rounds']);
  const spec: BenchSpec = { ...args.tenant(), latencyMs: args.option('--latency', 20) };
  const rounds = args.option('--rounds', 2);
  const { link, ready } = await startEmulatorChild<ToEmulator, FromEmulator>(__filename, spec);
  console.log(
    `previewDirectory benchmark — ${spec.users} users, ${spec.groups} groups, ${spec.memberships} memberships, ${spec.latencyMs} ms latency, ${rounds} rounds`,
  );
  const settings = { ...DEFAULT_SYNC_SETTINGS, localGroups: ['jira-software-users'] };
  const reads: number[] = [];
  const previews: number[] = [];
  const once = async (kind: 'read' | 'preview') => {
    const provider = createEntraProvider(parseEntraSettings(ready.config.entra, 'bench'));
    const started = Date.now();
    if (kind === 'read') {
      const mirror = await readMirror(provider);
      reads.push(Date.now() - started);
      console.log(`  read phase: ${secs(Date.now() - started)} (${mirror.users.size} users)`);
    } else {
      const preview = await previewDirectory(provider, settings, { sample: 50 });
      previews.push(Date.now() - started);
      console.log(
        `  preview:    ${secs(Date.now() - started)} (${preview.users} users, ${preview.memberships} memberships)`,
      );
    }
    await provider.close();
  };
  try {
    for (let round = 0; round < rounds; round++) {
      const order: Array<'read' | 'preview'> = round % 2 === 0 ? ['read', 'preview'] : ['preview', 'read'];
      for (const kind of order) await once(kind);
    }
  } finally {
    await link.stop({ type: 'stop' });
  }
  const ratio = median(previews) / median(reads);
  console.log(
    `\n  median read phase ${secs(median(reads))}, median preview ${secs(median(previews))}: ${ratio.toFixed(3)}×; peak RSS ${mb(peakRss())}`,
  );
  const goals = new Goals();
  goals.check(`preview ≤ 1.1× the read phase (${ratio.toFixed(3)}×)`, ratio <= 1.1);
  goals.finish();
}

runBench(serve, main);
