import { DirectoryError } from '../src/domain/errors';
import type { Store } from '../src/store/store';
import type { SyncEngine } from '../src/sync/engine';
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
  /** The sync engine, when this process runs one (the server does; offline tools may not). */
  readonly engine?: SyncEngine;
}

export function createContext(store: Store, directories: DirectoryScope, principal: string, engine?: SyncEngine): GraphQLContext {
  return { store, loaders: createLoaders(store), directories, principal, ...(engine ? { engine } : {}) };
}

/** The sync engine of this process; INTERNAL when none runs here (an offline tool's context). */
export function engineOf(ctx: GraphQLContext): SyncEngine {
  if (!ctx.engine) throw new DirectoryError('INTERNAL', 'the sync engine is not running in this process');
  return ctx.engine;
}
