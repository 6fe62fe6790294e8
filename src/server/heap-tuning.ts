import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets its heap grow past the live data before the next full collection, in percent.
 *
 * V8 picks a factor between 1.1 and 4 by itself, and while a full sync allocates fast (JSON
 * pages, the new picture, the plan) it leans to the top: on a 1M-membership tenant that put the
 * peak RSS at 560–680 MB with ~250 MB of live data. 1.5× keeps the peak under 512 MB
 * (`node dist/bench/entra-sync.js`, README.md#benchmarks) for some more collector time. NODE_OPTIONS or node's own
 * command line still win: an explicit `--heap-growing-percent` is left alone.
 */
export const HEAP_GROWING_PERCENT = 50;

export function tuneHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env['NODE_OPTIONS'] ?? '',
): boolean {
  const explicit = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) =>
    /^--heap[-_]growing[-_]percent\b/.test(arg),
  );
  if (explicit) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
