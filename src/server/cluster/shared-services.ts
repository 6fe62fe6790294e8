import type { Sessions } from '../../../facades/crowd/session-store';
import type { SyncControl } from '../../sync/control';
import type { Handler, PrimaryLink } from './rpc';

/**
 * The services a serving worker reaches in the primary: the sync engine (GraphQL sync mutations,
 * progress, connection tests, password checks) and the Crowd SSO sessions (one token valid on
 * every worker). The method lists are the whole contract: a worker calls `control.sync`, the
 * primary answers it with its own SyncControl's `sync`.
 */
const CONTROL_METHODS = [
  'sync',
  'approve',
  'drop',
  'progress',
  'checkAccess',
  'checkPassword',
  'health',
] as const satisfies readonly (keyof SyncControl)[];
const SESSION_METHODS = ['open', 'get', 'renew', 'remove', 'removeUser'] as const satisfies readonly (keyof Sessions)[];
// …and every method is listed: adding one to SyncControl or Sessions fails to compile until it is here.
const EVERY_METHOD_LISTED: [
  | Exclude<keyof SyncControl, (typeof CONTROL_METHODS)[number]>
  | Exclude<keyof Sessions, (typeof SESSION_METHODS)[number]>,
] extends [never]
  ? true
  : never = true;
void EVERY_METHOD_LISTED;

/** Worker side: the primary's services behind the local interfaces. */
export function remoteServices(link: PrimaryLink): { control: SyncControl; sessions: Sessions } {
  return {
    control: remote<SyncControl>(link, 'control', CONTROL_METHODS),
    sessions: remote<Sessions>(link, 'sessions', SESSION_METHODS),
  };
}

/** Primary side: the handlers that answer the workers' calls. */
export function serviceHandlers(control: SyncControl, sessions: Sessions): Record<string, Handler> {
  return { ...handlers('control', control, CONTROL_METHODS), ...handlers('sessions', sessions, SESSION_METHODS) };
}

function remote<T>(link: PrimaryLink, prefix: string, methods: readonly (keyof T & string)[]): T {
  // Every method of T is in `methods` (checked by `satisfies` above) and returns a Promise.
  return Object.fromEntries(
    methods.map((method) => [method, (...args: unknown[]) => link.call(`${prefix}.${method}`, ...args)]),
  ) as T;
}

function handlers<T>(prefix: string, target: T, methods: readonly (keyof T & string)[]): Record<string, Handler> {
  return Object.fromEntries(
    methods.map((method) => [
      `${prefix}.${method}`,
      (...args: unknown[]) => (target[method] as (...a: unknown[]) => Promise<unknown>).apply(target, args),
    ]),
  );
}
