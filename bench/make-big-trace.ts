/**
 * Makes a big strace trace for the parser benchmark by repeating the real
 * traces recorded in test/fixtures/trace/recorded/ (written with `-o` and
 * `-f`, so every line starts with its pid) until the target size. Each copy
 * gets its own pids: every pid of the source (the line prefixes) is shifted
 * wherever it appears as a whole number (clone returns, kill targets, si_pid),
 * so the result still reads as many separate process trees.
 *
 * Run alone: `npx tsx bench/make-big-trace.ts [--mb 200] [--out bench/out/big.trace]`
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../harness/project-root.js';

/** The recorded traces repeated (all `-f -ttt -T -y -yy --decode-pids=pidns`, written by `-o`). */
export const SOURCE_TRACES: readonly string[] = ['jail', 'interleave', 'pidns', 'names', 'sockets'].map((name) =>
  path.join(PROJECT_ROOT, 'test', 'fixtures', 'trace', 'recorded', `${name}.trace`),
);

export interface MakeBigTraceOptions {
  /** Size to reach, in bytes. Default: `200 * 1024 * 1024`. */
  readonly targetBytes?: number;
  /** Output file. Default: `bench/out/big.trace`. */
  readonly out?: string;
  /** Traces to repeat. Default: `SOURCE_TRACES`. */
  readonly sources?: readonly string[];
}

export interface BigTrace {
  readonly path: string;
  readonly bytes: number;
  readonly lines: number;
  readonly copies: number;
}

export const DEFAULT_BIG_TRACE = path.join(PROJECT_ROOT, 'bench', 'out', 'big.trace');

/** Pid shift between copies; the recorded traces use far fewer pids than this. */
const PID_STRIDE = 1000;
/** Keep pids under the kernel's largest pid_max (2^22). */
const PID_LIMIT = 4_194_304;

export async function makeBigTrace(options: MakeBigTraceOptions = {}): Promise<BigTrace> {
  const target = options.targetBytes ?? 200 * 1024 * 1024;
  const out = options.out ?? DEFAULT_BIG_TRACE;
  const sources = (options.sources ?? SOURCE_TRACES).map((file) => readFileSync(file, 'latin1'));
  const text = sources.map((s) => (s.endsWith('\n') ? s : `${s}\n`)).join('');
  const pids = new Set<number>();
  for (const line of text.split('\n')) {
    const m = /^(\d+) /.exec(line);
    if (m) pids.add(Number(m[1]));
  }
  if (pids.size === 0) throw new Error('the source traces have no pid prefixes (record them with -o and -f)');
  const lines = text.split('\n').length - 1;
  const base = Math.min(...pids);
  await mkdir(path.dirname(out), { recursive: true });
  const fd = openSync(out, 'w');
  let bytes = 0;
  let copies = 0;
  try {
    while (bytes < target) {
      const shift = 100_000 + copies * PID_STRIDE - base;
      const copy = text.replace(/\b\d{2,7}\b/g, (token) => {
        const n = Number(token);
        return pids.has(n) ? String(((n + shift) % PID_LIMIT) + 2) : token;
      });
      bytes += writeSync(fd, copy, null, 'latin1');
      copies++;
    }
  } finally {
    closeSync(fd);
  }
  return { path: out, bytes: statSync(out).size, lines: lines * copies, copies };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { mb: { type: 'string' }, out: { type: 'string' } } });
  const mb = Number(values.mb ?? '200');
  const made = await makeBigTrace({ targetBytes: mb * 1024 * 1024, ...(values.out === undefined ? {} : { out: values.out }) });
  console.log(`${made.path}: ${(made.bytes / 1e6).toFixed(1)} MB, ${made.lines} lines, ${made.copies} copies`);
}
