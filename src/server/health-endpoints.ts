import type { Context, Middleware, Next } from 'koa';
import type { RuntimeConfiguration } from '../admin/runtime-configuration';
import type { ReadinessConfig } from '../config/schema';
import { foldName } from '../domain/names';
import type { Store } from '../store/store';

/** One check of `/readyz`: what is not ready, in an operator's words; no user data. */
interface Check {
  readonly name: string;
  readonly ready: boolean;
  readonly reason?: string;
}

/**
 * `GET /healthz`: the process answers (liveness: restart it when this fails). `GET /readyz`:
 * crowdgate can serve correct answers (readiness: send it traffic) — the store answers, and every
 * enabled directory has a successful run younger than `readiness.maxSyncAgeSeconds`. 200 or 503,
 * a JSON body naming each check; no authentication (load balancers and orchestrators call them),
 * so the bodies hold directory names and ages only, never a user, a group or a setting.
 */
export function healthEndpoints(options: {
  readonly store: Pick<Store, 'operationalSummary' | 'listDirectories'>;
  readonly runtime: RuntimeConfiguration;
  readonly readiness: ReadinessConfig;
}): Middleware {
  return async (ctx: Context, next: Next) => {
    if (ctx.path !== '/healthz' && ctx.path !== '/readyz') return next();
    ctx.set('Cache-Control', 'no-store');
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.status = 405;
      ctx.set('Allow', 'GET, HEAD');
      return;
    }
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    const checks = await readinessChecks(options, Date.now());
    const ready = checks.every((check) => check.ready);
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not ready', checks };
  };
}

async function readinessChecks(
  { store, runtime, readiness }: Parameters<typeof healthEndpoints>[0],
  now: number,
): Promise<Check[]> {
  let summary;
  let rows;
  try {
    [summary, rows] = await Promise.all([store.operationalSummary(), store.listDirectories()]);
  } catch {
    // The reason goes to the log through the request's error; an unauthenticated answer names none.
    return [{ name: 'store', ready: false, reason: 'the store does not answer' }];
  }
  const checks: Check[] = [{ name: 'store', ready: true }];
  const ids = new Map(rows.map((row) => [foldName(row.name), row.id]));
  const lastSuccess = new Map(summary.directories.map((d) => [d.directoryId, d.lastSuccessAt]));
  const maxAgeMs = readiness.maxSyncAgeSeconds * 1000;
  for (const directory of runtime.current().directories) {
    if (!directory.enabled) continue;
    const name = `directory:${directory.config.name}`;
    const id = ids.get(foldName(directory.config.name));
    const at = id === undefined ? null : (lastSuccess.get(id) ?? null);
    if (!at) checks.push({ name, ready: false, reason: 'never synchronised successfully' });
    else if (now - at.getTime() > maxAgeMs)
      checks.push({
        name,
        ready: false,
        reason: `last successful run ${Math.round((now - at.getTime()) / 1000)} s ago, more than readiness.maxSyncAgeSeconds (${readiness.maxSyncAgeSeconds})`,
      });
    else checks.push({ name, ready: true });
  }
  return checks;
}
