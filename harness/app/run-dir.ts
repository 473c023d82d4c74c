/**
 * Where a run's files go: `traces/runs/<timestamp>-<script name>-<phase>/`
 * by default, created exclusively so two runs never share a directory.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Names too generic to tell runs apart: the parent folder's name is used instead. */
const GENERIC_NAMES = new Set(['script', 'control', 'run']);

export function scriptLabel(scriptPath: string): string {
  const base = path.basename(scriptPath).replace(/\.(sh|ksh)$/i, '');
  const name = GENERIC_NAMES.has(base.toLowerCase()) ? path.basename(path.dirname(path.resolve(scriptPath))) || base : base;
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'script';
}

/** `20251122-043012-123`: sortable, no characters a file system or a shell objects to. */
export function timestamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}-${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}-${p(date.getUTCMilliseconds(), 3)}`;
}

export function runId(scriptPath: string, phase: string, date: Date): string {
  return `${timestamp(date)}-${scriptLabel(scriptPath)}-${phase}`;
}

/**
 * Creates the run directory: `outDir` itself when given (it may exist but must
 * be empty of a previous run's result), else a new one under `runsDir`.
 */
export async function createRunDir(options: { readonly outDir?: string; readonly runsDir: string; readonly id: string }): Promise<string> {
  if (options.outDir) {
    await mkdir(options.outDir, { recursive: true });
    return path.resolve(options.outDir);
  }
  await mkdir(options.runsDir, { recursive: true });
  for (let n = 1; ; n++) {
    const dir = path.resolve(options.runsDir, n === 1 ? options.id : `${options.id}-${n}`);
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw error;
    }
  }
}
