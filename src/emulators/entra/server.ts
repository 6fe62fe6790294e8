import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Faults } from '../core/faults';
import { handleControl } from '../core/control';
import type { TenantState } from '../core/tenant-state';
import { graphErrorBody } from './errors';
import type { GraphRouter } from './graph-router';
import { header, readBody, send, type Reply } from './http';
import { handleIdentity, isIdentityPath, type IdentityEnv } from './identity';
import type { EmulatorStats } from './stats';

/**
 * The single HTTPS request handler: control API first (core/control.ts, its own bearer token, no
 * faults), then the vendor-neutral faults (latency, hangs, resets, 503s) on every vendor request,
 * then identity endpoints (`/{tenant}/…`) or Graph (`/v1.0/…`).
 */
export interface ServerDeps {
  readonly state: TenantState;
  readonly faults: Faults;
  readonly controlToken: string;
  readonly router: GraphRouter;
  readonly identity: IdentityEnv;
  readonly stats: EmulatorStats;
}

/** Graph bounds request bodies (4 MB for JSON batches); the identity endpoint takes small forms. */
const MAX_BODY = 4 * 1024 * 1024;

export function requestHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(deps, req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        send(res, {
          status: 500,
          headers: { 'Content-Type': 'application/json' },
          body: graphErrorBody('UnknownError', String((error as Error)?.message ?? error), {
            requestId: '',
            clientRequestId: '',
          }),
        });
      } else {
        res.destroy();
      }
    });
  };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (await handleControl(req, res, { state: deps.state, faults: deps.faults, token: deps.controlToken })) return;
  if (await deps.faults.intercept(req, res)) return;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const method = (req.method ?? 'GET').toUpperCase();
  const headers = req.headers as Record<string, string | undefined>;
  let body: string | null = null;
  if (method !== 'GET' && method !== 'HEAD') {
    try {
      body = await readBody(req, MAX_BODY);
    } catch {
      send(res, {
        status: 413,
        headers: { 'Content-Type': 'application/json' },
        body: graphErrorBody('RequestEntityTooLarge', 'The request body is too large.', {
          requestId: '',
          clientRequestId: '',
        }),
      });
      return;
    }
  }
  const started = process.hrtime.bigint();
  let reply: Reply;
  let kind: 'graph' | 'identity' | 'other';
  if (path === '/v1.0' || path.startsWith('/v1.0/')) {
    kind = 'graph';
    reply = deps.router.handle({ method, path: path.slice('/v1.0'.length) || '/', rawQuery, headers, body });
  } else if (isIdentityPath(path)) {
    kind = 'identity';
    reply = handleIdentity(deps.identity, method, path, body ?? '', headers);
  } else {
    kind = 'other';
    const ids = {
      requestId: '00000000-0000-0000-0000-000000000000',
      clientRequestId: header(headers, 'client-request-id') ?? '',
    };
    reply = {
      status: 404,
      headers: { 'Content-Type': 'application/json' },
      body: graphErrorBody('BadRequest', `Invalid version or path: ${path}`, ids),
    };
  }
  const handled = process.hrtime.bigint();
  send(res, reply);
  const done = process.hrtime.bigint();
  deps.stats.record(kind, reply.status, Number(done - started) / 1e6, Number(handled - started) / 1e6);
}
