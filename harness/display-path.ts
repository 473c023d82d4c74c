/**
 * How a path is shown to the user: relative to the working directory when it
 * lies below it, else absolute (never `../../..`, which says less and breaks
 * when pasted elsewhere).
 */
import path from 'node:path';

export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
