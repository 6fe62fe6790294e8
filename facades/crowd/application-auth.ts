import type { Context, Next } from 'koa';
import type { Socket } from 'node:net';
import { foldName } from '../../src/domain/names';
import type { Cidr } from '../../src/security/cidr';
import { addressAllowed } from '../../src/security/cidr';
import type { ApplicationLoginLimit } from '../../src/security/login-limits';
import { clientAddress } from './client-address';

/** A Crowd application: who may call the facade, from where, and which directories it sees. */
export interface CrowdApplication {
  readonly name: string;
  readonly passwordHash: string;
  readonly allowedAddresses: readonly Cidr[];
  /** Directory names in precedence order. */
  readonly directories: readonly string[];
  /** false: disabled by an administrator; answered 403 as Crowd answers an inactive application. */
  readonly active?: boolean;
}

/** The applications in effect now, by folded name; a new map with every configuration change. */
export type ApplicationsByName = ReadonlyMap<string, CrowdApplication>;

export interface ApplicationAuthOptions {
  /** Read per request, so a new application can log in and a deleted or disabled one cannot, at once. */
  readonly applications: () => ApplicationsByName;
  readonly trustedProxies: readonly Cidr[];
  readonly verifyPassword: (password: string, hash: string) => Promise<boolean>;
  /**
   * True when the password already verified against the hash (VerifiedPasswordCache.knownGood):
   * answered without a check, it lets a known-good credential through from an address over its
   * failure budget. Without it only the connection memo does.
   */
  readonly knownGood?: (password: string, hash: string) => boolean;
  /** Failed application logins per client address (src/security/application-login-limit.ts); none when absent. */
  readonly failures?: ApplicationLoginLimit;
  /**
   * Told of every refused application (metrics): its configured name, or "(unknown)" for a name
   * that is not configured or no readable credentials (so the label set stays bounded).
   */
  readonly onRefused?: (application: string, reason: 'credentials' | 'inactive' | 'address' | 'over-limit') => void;
}

/** The application label of a refusal whose name is not a configured application's. */
export const UNKNOWN_APPLICATION = '(unknown)';

/** State the authentication middleware leaves for the routes. */
export interface AuthenticatedState {
  application: CrowdApplication;
  /** The caller's address, resolved through trusted proxies. */
  clientAddress: string;
}

/**
 * Crowd application authentication (https://developer.atlassian.com/server/crowd/crowd-rest-resources/): HTTP Basic with the application name and
 * password. Unknown application or wrong password → 401 text/plain with `WWW-Authenticate` (not an
 * error entity). The application's address allow-list is checked after the application is found
 * and before its password, as Crowd's ClientValidationManager does → 403 text/plain; so is a
 * disabled application's (Crowd: an inactive application).
 *
 * Failed-login limit (`failures`): a credential already proven — the one this keep-alive
 * connection authenticated with, or one `knownGood` says verified before — is accepted without a
 * check, whatever the address's budget says. Any other credential must reserve a check first;
 * when the address has no budget left it gets 401 without one. So failures sent from Jira's
 * address cannot lock out Jira, and a burst of guesses gets exactly the budget's checks.
 * Requests with the same header from the same address while its check runs wait for that check
 * and share its reservation (a client opening many connections at once, e.g. Jira starting up,
 * spends one check, not one per connection).
 */
export function applicationAuth(options: ApplicationAuthOptions) {
  const verified = new ConnectionMemo();
  /** Checks running, by address and Authorization header; each holds one reservation. */
  const running = new Map<string, Promise<boolean>>();
  // Not `async`: the common case (a kept-alive connection seen before) hands over to the routes
  // without a promise of its own.
  return (ctx: Context, next: Next): Promise<void> => {
    // Node's header names are lower case already; ctx.get would delegate and lower-case again.
    const headers = ctx.req.headers;
    const header = headers.authorization ?? '';
    const forwardedFor = headers['x-forwarded-for']; // repeated headers arrive joined with ", "
    const peer = ctx.req.socket.remoteAddress ?? '';
    const address = clientAddress(
      peer,
      typeof forwardedFor === 'string' && forwardedFor !== '' ? forwardedFor : undefined,
      options.trustedProxies,
    );
    const known = verified.get(ctx.req.socket, header, address, options.applications());
    if (!known) return authenticate(ctx, next, header, address);
    (ctx.state as AuthenticatedState).application = known;
    (ctx.state as AuthenticatedState).clientAddress = address;
    return next();
  };

  async function authenticate(ctx: Context, next: Next, header: string, address: string): Promise<void> {
    const credentials = parseBasic(header);
    const applications = options.applications();
    const application = credentials ? applications.get(foldName(credentials.name)) : undefined;
    const refused = options.onRefused ?? (() => {});
    // Unknown names are not counted: no password is checked, and names are no secret (403 tells them).
    if (!credentials || !application) {
      refused(UNKNOWN_APPLICATION, 'credentials');
      return unauthorized(ctx);
    }
    // Crowd's client validation, in its order: an inactive application, then the address.
    if (application.active === false) {
      refused(application.name, 'inactive');
      ctx.status = 403;
      ctx.type = 'text/plain;charset=UTF-8';
      ctx.body = `Application '${application.name}' is inactive`;
      return;
    }
    if (!addressAllowed(address, application.allowedAddresses)) {
      refused(application.name, 'address');
      ctx.status = 403;
      ctx.type = 'text/plain;charset=UTF-8';
      ctx.body = `Client with address '${address}' is forbidden from making requests to application '${application.name}'`;
      return;
    }
    if (options.knownGood?.(credentials.password, application.passwordHash)) {
      options.failures?.acceptedKnownGood(address);
    } else {
      const key = `${address} ${header}`;
      let check = running.get(key);
      if (check === undefined) {
        // Reserved before the slow check: a concurrent burst cannot pass the budget. Over it → 401, unchecked.
        const attempt = options.failures?.reserve(address);
        if (options.failures && !attempt) {
          refused(application.name, 'over-limit');
          return unauthorized(ctx);
        }
        const started: Promise<boolean> = options.verifyPassword(credentials.password, application.passwordHash).then(
          (ok) => {
            if (ok) attempt?.succeed();
            else attempt?.fail();
            return ok;
          },
          (error: unknown) => {
            attempt?.release();
            throw error;
          },
        );
        check = started.finally(() => {
          if (running.get(key) === check) running.delete(key);
        });
        running.set(key, check);
      }
      if (!(await check)) {
        refused(application.name, 'credentials');
        return unauthorized(ctx);
      }
    }
    verified.remember(ctx.req.socket, header, address, application, applications);
    (ctx.state as AuthenticatedState).application = application;
    (ctx.state as AuthenticatedState).clientAddress = address;
    await next();
  }
}

/**
 * The Authorization header and client address that last authenticated on each connection, and
 * their application, for MEMO_TTL_MS. Crowd clients keep connections alive and send the same
 * header on every request; a repeat on the same connection from the same address skips the
 * address allow-list and the password check (even the verified-password cache's HMAC, ~25 µs of a
 * ~300 µs `GET /user`). A configuration change (a new map of applications) forgets every entry: a
 * deleted application's connections authenticate again and fail. A different header or address (X-Forwarded-For through a proxy's
 * connection) takes the full path. The entry belongs to the socket (a WeakMap: it goes with the
 * connection) and holds nothing the request did not already carry.
 */
class ConnectionMemo {
  private readonly bySocket = new WeakMap<
    Socket,
    { header: string; address: string; application: CrowdApplication; of: ApplicationsByName; until: number }
  >();

  /** `current`: the applications in effect; an entry made under another configuration is not used. */
  get(socket: Socket, header: string, address: string, current: ApplicationsByName): CrowdApplication | undefined {
    const entry = this.bySocket.get(socket);
    if (entry === undefined || entry.header !== header || entry.address !== address || entry.of !== current)
      return undefined;
    if (entry.until <= Date.now()) {
      this.bySocket.delete(socket);
      return undefined;
    }
    return entry.application;
  }

  remember(
    socket: Socket,
    header: string,
    address: string,
    application: CrowdApplication,
    of: ApplicationsByName,
  ): void {
    this.bySocket.set(socket, { header, address, application, of, until: Date.now() + MEMO_TTL_MS });
  }
}

/** As long as the verified-password cache keeps a success (src/security/password-hash.ts). */
const MEMO_TTL_MS = 5 * 60_000;

function unauthorized(ctx: Context): void {
  ctx.status = 401;
  ctx.set('WWW-Authenticate', 'BASIC realm="Crowd REST Service"');
  ctx.type = 'text/plain;charset=UTF-8';
  ctx.body = 'Application failed to authenticate';
}

/** Splits `Basic base64(name:password)` at the first colon; the password may contain colons. */
function parseBasic(header: string): { name: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { name: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
