import { DirectoryError } from '../src/domain/errors';
import type { AnswerBudget } from '../src/graphql/answer-budget';
import type { ProviderOpener } from '../src/admin/directory-trial';
import type { RuntimeConfiguration } from '../src/admin/runtime-configuration';
import type { AdminScope } from '../src/server/admin-auth';
import type { AdminSessions } from '../src/server/admin-sessions';
import type { Store } from '../src/store/store';
import type { SyncControl } from '../src/sync/control';
import type { DirectoryScope } from './directory-scope';
import { createLoaders, type Loaders } from './loaders';

/**
 * What every resolver receives. Top-level searches use `store` (one call per query); field
 * resolvers must go through `loaders` so that lists of entities are fetched in batches.
 */
export interface GraphQLContext {
  readonly store: Store;
  readonly loaders: Loaders;
  readonly directories: DirectoryScope;
  /** Who is asking: an administrator token name, or `crowd:<application>` for the Crowd facade. */
  readonly principal: string;
  /** The sync engine (here, or in the primary process of serving workers); offline tools have none. */
  readonly engine?: SyncControl;
  /** The list entries the answer may still hold: set by the /graphql endpoint, absent for the Crowd facade. */
  readonly answer?: AnswerBudget;
  /** The administration API's services: set by the /graphql endpoint, absent for the Crowd facade. */
  readonly admin?: AdminServices;
  /** Who is calling /graphql: the token's scope and the client address (audit log). */
  readonly caller?: Caller;
  /** The HTTP request's id (X-Request-Id): the correlation id of its internal errors. */
  readonly requestId?: string;
}

/** What the administration resolvers work on. */
export interface AdminServices {
  readonly runtime: RuntimeConfiguration;
  readonly store: Store;
  /** Opens a provider for settings not saved yet (test and preview). */
  readonly openProvider: ProviderOpener;
  /** Console sessions (cookie sign-in). */
  readonly sessions: AdminSessions;
}

export interface Caller {
  readonly scope: AdminScope;
  readonly source: string;
  /** `http://host:port` as the client addressed this server (for connection instructions). */
  readonly origin: string;
  /** Set when the request came with the console's session cookie instead of a bearer token. */
  readonly session?: { readonly digest: string; readonly expiresAt: Date; readonly csrfVerified: boolean };
  /** Whether the request came over HTTPS (cookies are then Secure). */
  readonly secure: boolean;
  /** `Set-Cookie` values the answer will carry (createSession, endSession). */
  readonly cookies: string[];
}

/** The administration services; INTERNAL when there are none (the Crowd facade's context). */
export function adminOf(ctx: GraphQLContext): AdminServices {
  if (!ctx.admin) throw new DirectoryError('INTERNAL', 'the administration API is not available here');
  return ctx.admin;
}

export function createContext(
  store: Store,
  directories: DirectoryScope,
  principal: string,
  engine?: SyncControl,
): GraphQLContext {
  return { store, loaders: createLoaders(store), directories, principal, ...(engine ? { engine } : {}) };
}

/** The sync engine; INTERNAL when there is none (an offline tool's context). */
export function engineOf(ctx: GraphQLContext): SyncControl {
  if (!ctx.engine) throw new DirectoryError('INTERNAL', 'the sync engine is not running in this process');
  return ctx.engine;
}
