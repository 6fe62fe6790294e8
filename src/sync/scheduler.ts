import { supportsDelta } from '../providers/provider';
import type { SyncEngine } from './engine';

/**
 * Runs each directory on its schedule: full runs every `schedule.fullMinutes`, incremental runs
 * every `schedule.incrementalSeconds` for providers with a change feed. Overlaps cannot happen:
 * the engine queues and coalesces. Timers do not keep the process alive.
 */
export class SyncScheduler {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly engine: SyncEngine) {}

  start(): void {
    for (const { directory, provider, settings } of this.engine.directories()) {
      const every = (ms: number, mode: 'full' | 'incremental') => {
        const timer = setInterval(() => void this.engine.sync(directory.name, { mode, trigger: 'schedule' }), ms);
        timer.unref();
        this.timers.push(timer);
      };
      if (settings.schedule.fullMinutes > 0) every(settings.schedule.fullMinutes * 60_000, 'full');
      if (settings.schedule.incrementalSeconds > 0 && supportsDelta(provider))
        every(settings.schedule.incrementalSeconds * 1000, 'incremental');
    }
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}
