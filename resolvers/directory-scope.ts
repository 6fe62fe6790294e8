import type { Directory } from '../src/domain/directory';
import { DirectoryError } from '../src/domain/errors';
import { foldName } from '../src/domain/names';

/**
 * The served (enabled) directories in precedence order, as GraphQL arguments name them. A query
 * that names no directories sees all of them; naming an unknown or disabled one is an error, not
 * an empty answer. `get` also knows disabled directories (their runs name them).
 */
export class DirectoryScope {
  private readonly byName: Map<string, Directory>;
  private readonly byId: Map<number, Directory>;

  constructor(
    readonly all: readonly Directory[],
    known: readonly Directory[] = all,
  ) {
    this.byName = new Map(all.map((d) => [foldName(d.name), d]));
    this.byId = new Map(known.map((d) => [d.id, d]));
  }

  /** Directory ids in the order given (the caller's precedence), or all in configured order. */
  resolve(names: readonly string[] | null | undefined): number[] {
    if (!names) return this.all.map((d) => d.id);
    return names.map((name) => {
      const directory = this.byName.get(foldName(name));
      if (!directory) throw new DirectoryError('DIRECTORY_NOT_FOUND', `Directory ${name} does not exist`);
      return directory.id;
    });
  }

  get(id: number): Directory {
    const directory = this.byId.get(id);
    if (!directory) throw new DirectoryError('DIRECTORY_NOT_FOUND', `Directory ${id} is not configured`);
    return directory;
  }
}
