import { Gauge, type Registry } from 'prom-client';
import { PREFIX } from './registry';
import { ServingMetrics } from './serving-metrics';

/**
 * What the HTTP server of one process needs for `/metrics`: the registry its serving metrics go
 * to, and the whole crowdgate's exposition (this registry alone in one process; every worker's
 * and the primary's, summed, with serving workers).
 */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly serving: ServingMetrics;
  exposition(): Promise<string>;
}

export function serverMetrics(
  registry: Registry,
  exposition: () => Promise<string> = () => registry.metrics(),
): ServerMetrics {
  return { registry, serving: new ServingMetrics(registry), exposition };
}

/** Crowd SSO sessions live, in the process that holds them (the only one, or the primary). */
export function sessionsGauge(registry: Registry, live: () => number | Promise<number>): void {
  new Gauge({
    name: `${PREFIX}crowd_sso_sessions`,
    help: 'Crowd SSO sessions live (POST /session: single sign-on of Jira, Confluence and Bitbucket)',
    registers: [registry],
    async collect() {
      this.set(await live());
    },
  });
}

/** 1 while this node runs the sync engine (several nodes on one PostgreSQL store; src/nodes/), else 0. */
export function leaderGauge(registry: Registry, leading: () => boolean): void {
  new Gauge({
    name: `${PREFIX}node_leader`,
    help: 'Whether this crowdgate node leads: runs the sync schedule for every node of its PostgreSQL store (1) or not (0)',
    registers: [registry],
    collect() {
      this.set(leading() ? 1 : 0);
    },
  });
}
