import type { AccessReport, PasswordCheck } from '../providers/provider';
import { supportsPassword } from '../providers/provider';
import type { SyncRun } from '../store/sync-records';
import type { SyncEngine, SyncProgress, SyncRequest } from './engine';

/**
 * What the GraphQL API asks of the sync engine and the providers behind it. One process runs the
 * engine; with serving workers (src/server/cluster/) the workers reach it through the primary,
 * so every method is asynchronous and takes and returns plain data.
 */
export interface SyncControl {
  sync(name: string, request: SyncRequest): Promise<SyncRun>;
  approve(runId: number): Promise<SyncRun>;
  drop(runId: number): Promise<SyncRun>;
  progress(directoryId: number): Promise<SyncProgress | undefined>;
  checkAccess(directoryName: string): Promise<AccessReport>;
  /** The provider's verdict on a password; null when the directory's provider cannot check passwords. */
  checkPassword(directoryId: number, login: string, password: string): Promise<PasswordCheck | null>;
  /** What the engine knows of a directory's provider: why it could not open, its latest connection test. */
  health(directoryName: string): Promise<DirectoryHealth>;
}

export interface DirectoryHealth {
  /** Why the provider could not be opened, if it could not. */
  readonly openFailure: string | null;
  /** The newest background connection test (run when the provider opens, then every few hours). */
  readonly access: { readonly at: Date; readonly report: AccessReport } | null;
}

/** Health where nothing is known (an offline tool, a directory the engine does not run). */
export const UNKNOWN_HEALTH: DirectoryHealth = { openFailure: null, access: null };

/** The engine of this process as a SyncControl; `health` from whoever opens the providers. */
export function localControl(
  engine: SyncEngine,
  health: (directoryName: string) => DirectoryHealth = () => UNKNOWN_HEALTH,
): SyncControl {
  return {
    health: async (directoryName) => health(directoryName),
    sync: (name, request) => engine.sync(name, request),
    approve: (runId) => engine.approve(runId),
    drop: (runId) => engine.drop(runId),
    progress: async (directoryId) => engine.progress(directoryId),
    checkAccess: (directoryName) => engine.lookup(directoryName).provider.checkAccess(),
    checkPassword: async (directoryId, login, password) => {
      const provider = engine.directories().find((d) => d.directory.id === directoryId)?.provider;
      return provider && supportsPassword(provider) ? provider.checkPassword(login, password) : null;
    },
  };
}
