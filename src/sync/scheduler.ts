import { foldName } from '../domain/names';
import { supportsDelta } from '../providers/provider';
import type { SyncDirectory, SyncEngine } from './engine';

/**
 * Runs each directory on its schedule: full runs every `schedule.fullMinutes`, incremental runs
 * every `schedule.incrementalSeconds` for providers with a change feed. Overlaps cannot happen:
 * the engine queues and coalesces. Timers do not keep the process alive. Directories made,
 * changed or removed at runtime are added and removed one by one.
 */
export class SyncScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout[]>();

  constructor(private readonly engine: SyncEngine) {}

  start(): void {
    for (const directory of this.engine.directories()) this.add(directory);
  }

  /** Schedules one directory (replacing its timers if it had some). */
  add({ directory, provider, settings }: SyncDirectory): void {
    this.remove(directory.name);
    const timers: NodeJS.Timeout[] = [];
    const every = (ms: number, mode: 'full' | 'incremental') => {
      const timer = setInterval(() => void this.engine.sync(directory.name, { mode, trigger: 'schedule' }), ms);
      timer.unref();
      timers.push(timer);
    };
    if (settings.schedule.fullMinutes > 0) every(settings.schedule.fullMinutes * 60_000, 'full');
    if (settings.schedule.incrementalSeconds > 0 && supportsDelta(provider))
      every(settings.schedule.incrementalSeconds * 1000, 'incremental');
    this.timers.set(foldName(directory.name), timers);
  }

  remove(name: string): void {
    for (const timer of this.timers.get(foldName(name)) ?? []) clearInterval(timer);
    this.timers.delete(foldName(name));
  }

  stop(): void {
    for (const name of [...this.timers.keys()]) this.remove(name);
  }
}
