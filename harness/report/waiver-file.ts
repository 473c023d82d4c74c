/**
 * Reads a waiver file (`--waivers FILE`): YAML syntax, then the schema
 * (policies/waivers.schema.json, every problem at its line and column, with
 * a did-you-mean for a misspelt key), then what the schema cannot say: that
 * each date is a real day and no finding is waived twice. Then the waivers'
 * dates: a waiver past its expiry stops the run before anything is judged,
 * naming it, where it is written and who owns it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FileProblemsError, UserError, type FileProblem } from '../errors.js';
import type { WaiverRecord } from '../policy/finding.js';
import { readYamlDocument } from '../schema/yaml-document.js';
import type { SourceLocator } from '../schema/source-locator.js';
import { waiverFile } from './validators.generated.js';

/** One waiver, with the column it starts at. */
export interface Waiver extends WaiverRecord {
  readonly col?: number;
}

/** The waivers of one file, checked and in force. */
export interface WaiverSet {
  /** The file as the user named it. */
  readonly file: string;
  readonly waivers: readonly Waiver[];
}

export interface WaiverFileOptions {
  /** What a relative file name is relative to. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** The clock the expiry dates are read against, ms. Default: `Date.now`. */
  readonly now?: () => number;
}

interface RawWaiver {
  readonly rule: string;
  readonly fingerprint: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: string;
}

/** `2026-02-30` is no day. */
function isRealDate(text: string): boolean {
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/** Today as `YYYY-MM-DD`, in UTC. */
function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

function toWaivers(raw: readonly RawWaiver[], file: string, locator: SourceLocator): Waiver[] {
  return raw.map((w, i) => ({ ...w, file, ...locator.position(['waivers', i]) }));
}

/** `illegal-kill 0123456789abcdef` as a message names a waiver. */
export function waiverName(w: WaiverRecord): string {
  return `\`${w.rule}\` ${w.fingerprint}`;
}

/**
 * The waivers in `source` (the text of `file`, named so in problems).
 * Throws FileProblemsError: `invalid waiver file` with every problem, or
 * `expired waiver` naming each waiver past its day (exit code 2 either way).
 */
export function parseWaivers(source: string, file: string, now: number = Date.now()): WaiverSet {
  // Every value is text: a fingerprint of digits alone must not turn into a number.
  const doc = readYamlDocument(source, file, waiverFile, { stringsOnly: true });
  const problems: FileProblem[] = [...doc.problems];
  if (doc.locator === undefined || problems.length > 0) {
    throw new FileProblemsError('invalid waiver file', problems, { hint: 'fix the listed problems in the waiver file (docs/waivers.md describes it)' });
  }
  const waivers = toWaivers((doc.value as { waivers: readonly RawWaiver[] }).waivers, file, doc.locator);
  const seen = new Map<string, Waiver>();
  waivers.forEach((w, i) => {
    const at = { file, ...(w.line === undefined ? {} : { line: w.line }), ...(w.col === undefined ? {} : { col: w.col }) };
    if (!isRealDate(w.expires)) {
      problems.push({
        ...at,
        path: `waivers[${i}].expires`,
        ...doc.locator?.position(['waivers', i, 'expires']),
        message: `Expected \`expires\` to be a real day, got \`${w.expires}\``,
      });
    }
    const key = `${w.rule}\0${w.fingerprint}`;
    const first = seen.get(key);
    if (first !== undefined)
      problems.push({ ...at, path: `waivers[${i}]`, message: `The finding ${waiverName(w)} is waived twice (also at line ${first.line ?? '?'})` });
    else seen.set(key, w);
  });
  if (problems.length > 0)
    throw new FileProblemsError('invalid waiver file', problems, { hint: 'fix the listed problems in the waiver file (docs/waivers.md describes it)' });

  const day = today(now);
  const expired = waivers.flatMap((w, i): FileProblem[] =>
    w.expires < day
      ? [
          {
            file,
            path: `waivers[${i}]`,
            ...(w.line === undefined ? {} : { line: w.line }),
            ...(w.col === undefined ? {} : { col: w.col }),
            message: `The waiver of ${waiverName(w)}, owned by ${w.owner}, expired on ${w.expires}`,
          },
        ]
      : [],
  );
  if (expired.length > 0) {
    throw new FileProblemsError(expired.length === 1 ? 'expired waiver' : `${expired.length} expired waivers`, expired, {
      hint: 'ask the owner to renew the waiver (a new `expires`, and the reason again) or remove it and fix the finding',
    });
  }
  return { file, waivers };
}

/** Reads and checks the waiver file `file` (relative to `options.cwd`). */
export async function readWaiverFile(file: string, options: WaiverFileOptions = {}): Promise<WaiverSet> {
  const abs = path.resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UserError(missing ? 'INPUT_NOT_FOUND' : 'INPUT_INVALID', `${missing ? 'waiver file not found' : 'cannot read waiver file'}: ${file}`, {
      cause: error,
      hint: 'check the --waivers path',
    });
  }
  return parseWaivers(text, file, (options.now ?? Date.now)());
}
