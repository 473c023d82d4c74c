/**
 * Makes a big strace trace for the parser benchmark by repeating real
 * recorded traces until the target size: the parser's recordings in
 * test/fixtures/trace/recorded/ and the sandbox run traces of
 * traces/golden/<case>/trace.txt (what `drdsafe run` analyses; the model's
 * recordings in test/fixtures/model/traces/ stand in while there are none).
 * All are written with `-o` and `-f`, so every line starts with its pid. Each
 * copy gets its own pids: every pid of the sources (the line prefixes) is
 * renumbered wherever it appears as a whole number (clone returns, kill
 * targets, si_pid), densely and without overlap between copies (the sources'
 * pids range from tens to tens of thousands), so the result still reads as
 * many separate process trees.
 *
 * A manifest next to the trace (`big.trace.json`) names the sources it was
 * made from, so the benchmark remakes it when they change.
 *
 * Run alone: `npx tsx bench/make-big-trace.ts [--mb 200] [--out bench/out/big.trace]`
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../harness/project-root.js';

/** The parser's recorded traces (all `-f -ttt -T -y -yy --decode-pids=pidns`, written by `-o`). */
export const RECORDED_TRACES: readonly string[] = ['jail', 'interleave', 'pidns', 'names', 'sockets'].map((name) =>
  path.join(PROJECT_ROOT, 'test', 'fixtures', 'trace', 'recorded', `${name}.trace`),
);

/**
 * Real sandbox run traces: `traces/golden/<case>/trace.txt`, leaving out any
 * cut in the middle of a line (repeating one would glue two lines together);
 * the model's recorded runs when there are no golden traces.
 */
export function sandboxTraces(root: string = PROJECT_ROOT): string[] {
  const golden = path.join(root, 'traces', 'golden');
  const found = existsSync(golden)
    ? readdirSync(golden)
        .sort()
        .map((name) => path.join(golden, name, 'trace.txt'))
        .filter((file) => existsSync(file) && endsWithNewline(file))
    : [];
  if (found.length > 0) return found;
  const model = path.join(root, 'test', 'fixtures', 'model', 'traces');
  return readdirSync(model)
    .filter((name) => name.endsWith('.trace'))
    .sort()
    .map((name) => path.join(model, name))
    .filter(endsWithNewline);
}

/** What the big trace repeats by default. */
export function sourceTraces(root: string = PROJECT_ROOT): string[] {
  return [...RECORDED_TRACES, ...sandboxTraces(root)];
}

function endsWithNewline(file: string): boolean {
  const text = readFileSync(file);
  return text.length > 0 && text[text.length - 1] === 10;
}

export interface MakeBigTraceOptions {
  /** Size to reach, in bytes. Default: `200 * 1024 * 1024`. */
  readonly targetBytes?: number;
  /** Output file. Default: `bench/out/big.trace`. */
  readonly out?: string;
  /** Traces to repeat. Default: `sourceTraces()`. */
  readonly sources?: readonly string[];
}

export interface BigTrace {
  readonly path: string;
  readonly bytes: number;
  readonly lines: number;
  readonly copies: number;
}

export const DEFAULT_BIG_TRACE = path.join(PROJECT_ROOT, 'bench', 'out', 'big.trace');

/** First pid of the first copy. */
const PID_BASE = 100_000;
/** Keep pids under the kernel's largest pid_max (2^22). */
const PID_LIMIT = 4_194_304;

export async function makeBigTrace(options: MakeBigTraceOptions = {}): Promise<BigTrace> {
  const target = options.targetBytes ?? 200 * 1024 * 1024;
  const out = options.out ?? DEFAULT_BIG_TRACE;
  const files = options.sources ?? sourceTraces();
  const sources = files.map((file) => {
    const text = readFileSync(file, 'latin1');
    return text.endsWith('\n') ? text : `${text}\n`;
  });
  // Each source gets its own block of pids in each copy: the sandbox traces all start at
  // the same small pids, and pid reuse is not what a long trace is made of.
  const ranks = sources.map((text) => {
    const pids = new Set<number>();
    for (const m of text.matchAll(/^(\d+) /gm)) pids.add(Number(m[1]));
    return new Map([...pids].sort((x, y) => x - y).map((pid, k) => [pid, k]));
  });
  const perCopy = ranks.reduce((n, r) => n + r.size, 0);
  if (perCopy === 0) throw new Error('the source traces have no pid prefixes (record them with -o and -f)');
  const sourceBytes = sources.reduce((n, text) => n + Buffer.byteLength(text, 'latin1'), 0);
  const lines = sources.reduce((n, text) => n + text.split('\n').length - 1, 0);
  if (PID_BASE + Math.ceil(target / sourceBytes) * perCopy >= PID_LIMIT) {
    throw new Error(`too many pids for ${target} bytes of copies (pid_max is ${PID_LIMIT})`);
  }
  await mkdir(path.dirname(out), { recursive: true });
  const fd = openSync(out, 'w');
  let bytes = 0;
  let copies = 0;
  try {
    while (bytes < target) {
      let first = PID_BASE + copies * perCopy;
      for (const [k, text] of sources.entries()) {
        const rank = ranks[k] ?? new Map<number, number>();
        const base = first;
        // Pid n of this source becomes base + its rank among the source's pids. Hex dump lines
        // (` | 00010  53 41 ...`) stay as they are: their bytes are no pids, and renumbering
        // one made the line unreadable (200 parse errors in every copy, once measured).
        const renumber = (line: string): string =>
          line.replace(/\b[1-9]\d{1,6}\b/g, (token) => {
            const r = rank.get(Number(token));
            return r === undefined ? token : String(base + r);
          });
        const copy = text.replace(/^(?! \| ).+$/gm, renumber);
        bytes += writeSync(fd, copy, null, 'latin1');
        first += rank.size;
      }
      copies++;
    }
  } finally {
    closeSync(fd);
  }
  const made = { path: out, bytes: statSync(out).size, lines: lines * copies, copies };
  writeFileSync(manifestPath(out), `${JSON.stringify(manifestOf(files, target), null, 2)}\n`);
  return made;
}

/** Bumped when the way copies are made changes, so older big traces are remade. */
const FORMAT = 4;

interface Manifest {
  readonly format: number;
  readonly targetBytes: number;
  /** Sources relative to the project root, with their sizes. */
  readonly sources: readonly { readonly file: string; readonly bytes: number }[];
}

function manifestPath(out: string): string {
  return `${out}.json`;
}

function manifestOf(files: readonly string[], targetBytes: number): Manifest {
  return { format: FORMAT, targetBytes, sources: files.map((file) => ({ file: path.relative(PROJECT_ROOT, file), bytes: statSync(file).size })) };
}

/** The big trace at `out` exists and was made from `sources` for `targetBytes`. */
export function isBigTraceCurrent(out: string, targetBytes: number, sources: readonly string[] = sourceTraces()): boolean {
  if (!existsSync(out) || !existsSync(manifestPath(out))) return false;
  try {
    return JSON.stringify(JSON.parse(readFileSync(manifestPath(out), 'utf8'))) === JSON.stringify(manifestOf(sources, targetBytes));
  } catch {
    return false;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { mb: { type: 'string' }, out: { type: 'string' } } });
  const mb = Number(values.mb ?? '200');
  const made = await makeBigTrace({ targetBytes: mb * 1024 * 1024, ...(values.out === undefined ? {} : { out: values.out }) });
  console.log(`${made.path}: ${(made.bytes / 1e6).toFixed(1)} MB, ${made.lines} lines, ${made.copies} copies`);
}
