import type { Context, Next } from 'koa';
import { foldName } from '../../src/domain/names';
import type { Cidr } from '../../src/security/cidr';
import { addressAllowed } from '../../src/security/cidr';
import { clientAddress } from './client-address';
import type { FailureLimiter } from './rate-limit';

/** A Crowd application: who may call the facade, from where, and which directories it sees. */
export interface CrowdApplication {
  readonly name: string;
  readonly passwordHash: string;
  readonly allowedAddresses: readonly Cidr[];
  /** Directory names in precedence order. */
  readonly directories: readonly string[];
}

export interface ApplicationAuthOptions {
  readonly applications: readonly CrowdApplication[];
  readonly trustedProxies: readonly Cidr[];
  readonly verifyPassword: (password: string, hash: string) => Promise<boolean>;
  /** Failed application logins per client address (see rate-limit.ts); none when absent. */
  readonly failures?: FailureLimiter;
}

/** State the authentication middleware leaves for the routes. */
export interface AuthenticatedState {
  application: CrowdApplication;
  /** The caller's address, resolved through trusted proxies. */
  clientAddress: string;
}

/**
 * Crowd application authentication (crowd-rest.md §2): HTTP Basic with the application name and
 * password. Unknown application or wrong password → 401 text/plain with `WWW-Authenticate` (not an
 * error entity). The application's address allow-list is checked after the application is found
 * and before its password, as Crowd's ClientValidationManager does → 403 text/plain.
 */
export function applicationAuth(options: ApplicationAuthOptions) {
  const byName = new Map(options.applications.map((a) => [foldName(a.name), a]));
  return async (ctx: Context, next: Next): Promise<void> => {
    const credentials = parseBasic(ctx.get('authorization'));
    const address = clientAddress(ctx.socket.remoteAddress ?? '', ctx.get('x-forwarded-for') || undefined, options.trustedProxies);
    // A source over its failure budget gets 401 without a password check (no hashing work, no oracle).
    if (options.failures?.blocked(address)) return unauthorized(ctx);
    const application = credentials ? byName.get(foldName(credentials.name)) : undefined;
    if (!credentials || !application) {
      if (credentials) options.failures?.fail(address);
      return unauthorized(ctx);
    }
    if (!addressAllowed(address, application.allowedAddresses)) {
      ctx.status = 403;
      ctx.type = 'text/plain;charset=UTF-8';
      ctx.body = `Client with address '${address}' is forbidden from making requests to application '${application.name}'`;
      return;
    }
    if (!(await options.verifyPassword(credentials.password, application.passwordHash))) {
      options.failures?.fail(address);
      return unauthorized(ctx);
    }
    (ctx.state as AuthenticatedState).application = application;
    (ctx.state as AuthenticatedState).clientAddress = address;
    await next();
  };
}

function unauthorized(ctx: Context): void {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', 'BASIC realm="Crowd REST Service"');
  ctx.type = 'text/plain;charset=UTF-8';
  ctx.body = 'Application failed to authenticate';
}

/** Splits `Basic base64(name:password)` at the first colon; the password may contain colons. */
export function parseBasic(header: string): { name: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
