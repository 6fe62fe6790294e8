import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every crowdgate metric's name starts with this (Prometheus naming: `<namespace>_<name>_<unit>`). */
export const PREFIX = 'crowdgate_';

/**
 * A registry for one process with Node's default process metrics (CPU, memory, heap, event-loop
 * lag, GC, handles). Not prom-client's global registry: tests start several servers in one process.
 * With serving workers, every process has one and the answers are summed (cluster-metrics.ts).
 */
export function processRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
