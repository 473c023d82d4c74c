import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The project folder (where package.json, images/ and policies/ live), found
 * from this module's own location so it works from the sources (tsx) and from
 * dist/ alike, whatever the user's working directory.
 */
export const PROJECT_ROOT: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
