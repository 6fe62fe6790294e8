import type { TenantState } from '../core/tenant-state';

/**
 * Serialised JSON of projected objects, keyed by projection (entity type, typed or not, $select)
 * and object id, so paging the same data again costs a string join instead of re-projecting and
 * re-stringifying. Entries are dropped when the object changes (user/group updated or deleted,
 * via `state.onChange`). At most `maxProjections` projections are kept (least recently created
 * dropped first); each holds at most one string per object.
 */
export class JsonCache {
  private readonly projections = new Map<string, Map<string, string>>();
  private readonly unsubscribe: () => void;

  constructor(
    state: TenantState,
    private readonly maxProjections = 12,
  ) {
    this.unsubscribe = state.onChange((c) => {
      if (
        c.kind === 'user.updated' ||
        c.kind === 'user.deleted' ||
        c.kind === 'group.updated' ||
        c.kind === 'group.deleted'
      )
        this.invalidate(c.id);
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** Cached JSON of `id` under `projection`, rendering (and remembering) it when absent. */
  get(projection: string, id: string, render: () => string): string {
    let entries = this.projections.get(projection);
    if (!entries) {
      entries = new Map();
      this.projections.set(projection, entries);
      if (this.projections.size > this.maxProjections)
        this.projections.delete(this.projections.keys().next().value as string);
    }
    let json = entries.get(id);
    if (json === undefined) {
      json = render();
      entries.set(id, json);
    }
    return json;
  }

  invalidate(id: string): void {
    for (const entries of this.projections.values()) entries.delete(id);
  }
}

export function projectionKey(type: string, typed: boolean, select: readonly string[] | null): string {
  return `${type}|${typed ? 't' : ''}|${select === null ? '*' : select.join(',')}`;
}
