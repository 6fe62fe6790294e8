import { DirectoryError } from '../src/domain/errors';
import type { AnswerBudget } from '../src/graphql/answer-budget';
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
