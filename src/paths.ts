import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package root (the folder holding package.json), found by walking up from this file, so the
 * same code works from the TypeScript sources (tests) and from the compiled `dist/` (the CLI).
 */
export function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
