import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The nearest folder at or above `dir` that holds a package.json. */
export function projectRootFrom(dir: string): string {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'package.json'))) return at;
    if (path.dirname(at) === at) throw new Error(`no package.json at or above ${dir}`);
  }
}

/**
 * The project folder (where package.json, images/ and policies/ live), found
 * from this module's own location so it works from the sources (tsx), from
 * dist/ and from the tests' compiled copy (.test-build/) alike, whatever the
 * user's working directory.
 */
export const PROJECT_ROOT: string = projectRootFrom(path.dirname(fileURLToPath(import.meta.url)));
