/**
 * Trace parser speed and memory, measured side by side on one big trace:
 *   split  read 1 MiB chunks, find newlines, make each line a string (the floor of any line reader)
 *   naive  readline plus one regular expression per line (pid, name, argument text, result)
 *   parser TraceParser via parseTraceFile, every event delivered to a sink
 *   parser+args  the same, the sink reading every call's typed `args` (they are typed on first read)
 *   full   the whole analysis: parser -> process/path model -> built-in policy (bench/full-pipeline.ts)
 *   full-nocov  the same without what the model gathers for script coverage (its cost, side by side)
 * Each variant runs in a fresh Node child, so its peak RSS (getrusage maxRSS) is
 * its own; speeds are printed as MB/s and as a ratio to `split`.
 *
 * Another stage can join as a variant: a module exporting
 * `async function (file: string): Promise<VariantCount>`, named by path and export
 * (`--variant mine=bench/my-stage.ts:analyzeFile`).
 *
 * Run alone: `npx tsx bench/parser-bench.ts [--file F] [--mb 200] [--runs 1] [--variant name=module:export]...`
 * (makes bench/out/big.trace with make-big-trace.ts when it is missing or its sources changed).
 */
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { PROJECT_ROOT } from '../harness/project-root.js';
import { parseTraceFile } from '../harness/trace/parse-trace-file.js';
import { DEFAULT_BIG_TRACE, isBigTraceCurrent, makeBigTrace } from './make-big-trace.js';

/** What a variant reports about the file it read (checked to be sure each did the work). */
export interface VariantCount {
  readonly lines: number;
  readonly events?: number;
  readonly issues?: number;
}

export interface BenchVariant {
  readonly name: string;
  /** Module path relative to the project root, e.g. `bench/parser-bench.ts`. */
  readonly module: string;
  /** Its export: `async (file: string) => VariantCount`. */
  readonly exportName: string;
}

export interface VariantResult extends VariantCount {
  readonly name: string;
  /** Median over the runs. */
  readonly seconds: number;
  readonly mbPerSecond: number;
  /** Speed relative to the `split` variant (1 when `split` is not measured). */
  readonly ratioToSplit: number;
  /** Largest peak RSS of the variant's child processes, in MB (includes Node and tsx themselves). */
  readonly maxRssMb: number;
}

export interface BenchResult {
  readonly file: string;
  readonly bytes: number;
  readonly runs: number;
  readonly variants: readonly VariantResult[];
}

export interface ParserBenchOptions {
  /** Trace to read. Default: `bench/out/big.trace` (made when missing). */
  readonly file?: string;
  /** Size of the trace made when `file` is missing, in MB. Default: `200`. */
  readonly targetMb?: number;
  /** Rounds; each runs every variant once, in a fresh child; the median time is kept. Default: `1`. */
  readonly runs?: number;
  /** Variants to measure. Default: `BUILTIN_VARIANTS`. */
  readonly variants?: readonly BenchVariant[];
  /** Per-run limit in milliseconds. Default: `600000`. */
  readonly timeoutMs?: number;
}

const SELF = 'bench/parser-bench.ts';

export const BUILTIN_VARIANTS: readonly BenchVariant[] = [
  { name: 'split', module: SELF, exportName: 'splitLines' },
  { name: 'naive', module: SELF, exportName: 'naiveParse' },
  { name: 'parser', module: SELF, exportName: 'traceParse' },
  { name: 'parser+args', module: SELF, exportName: 'traceParseWithArgs' },
  { name: 'full', module: 'bench/full-pipeline.ts', exportName: 'analyzeFile' },
  { name: 'full-nocov', module: 'bench/full-pipeline.ts', exportName: 'analyzeFileWithoutCoverage' },
];

/** (a) Chunked reads, newline search, one string per line. */
export async function splitLines(file: string): Promise<VariantCount> {
  const handle = await open(file, 'r');
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let carry = '';
  let lines = 0;
  let chars = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      let pos = 0;
      for (;;) {
        const nl = buffer.indexOf(10, pos);
        if (nl === -1 || nl >= bytesRead) break;
        const line = carry + buffer.toString('latin1', pos, nl);
        carry = '';
        chars += line.length;
        lines++;
        pos = nl + 1;
      }
      carry += buffer.toString('latin1', pos, bytesRead);
    }
  } finally {
    await handle.close();
  }
  if (carry.length > 0) lines++;
  return { lines, events: chars > 0 ? lines : 0 };
}

const NAIVE_LINE = /^(?:\[pid\s+(\d+)\]\s+|(\d+)\s+)?(?:[\d.:]+\s+)?(\w+)\((.*)\)\s+=\s+(.*)$/;

/** (b) readline plus one regular expression per line. */
export async function naiveParse(file: string): Promise<VariantCount> {
  const reader = createInterface({ input: createReadStream(file, { encoding: 'latin1' }), crlfDelay: Infinity });
  let lines = 0;
  let events = 0;
  for await (const line of reader) {
    lines++;
    const m = NAIVE_LINE.exec(line);
    if (m !== null && m[3] !== undefined) events++;
  }
  return { lines, events, issues: lines - events };
}

/** (c) The real parser, events delivered to a sink that counts them. */
export async function traceParse(file: string): Promise<VariantCount> {
  let events = 0;
  let issues = 0;
  const summary = await parseTraceFile(file, {
    event: () => {
      events++;
    },
    issue: () => {
      issues++;
    },
  });
  return { lines: summary.lines, events, issues };
}

/** (c') The real parser with every syscall's arguments typed (what a consumer reading all of them pays). */
export async function traceParseWithArgs(file: string): Promise<VariantCount> {
  let events = 0;
  let issues = 0;
  let args = 0;
  const summary = await parseTraceFile(file, {
    event: (e) => {
      events++;
      if (e.kind === 'syscall') args += e.args.length;
    },
    issue: () => {
      issues++;
    },
  });
  return { lines: summary.lines, events: args > 0 ? events : 0, issues };
}

interface ChildReport extends VariantCount {
  readonly seconds: number;
  readonly maxRssKb: number;
}

const run = promisify(execFile);

/** Runs one variant in a fresh Node (with tsx), timing only the variant's own work. */
async function runChild(variant: BenchVariant, file: string, timeoutMs: number): Promise<ChildReport> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, SELF), '--child', `${variant.module}:${variant.exportName}`, '--file', file],
    { cwd: PROJECT_ROOT, timeout: timeoutMs, maxBuffer: 1024 * 1024 },
  );
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as ChildReport;
}

export async function benchParser(options: ParserBenchOptions = {}): Promise<BenchResult> {
  const file = options.file ?? DEFAULT_BIG_TRACE;
  if (options.file !== undefined) {
    if (!existsSync(file)) throw new Error(`trace not found: ${file}`);
  } else {
    const targetBytes = (options.targetMb ?? 200) * 1024 * 1024;
    if (!isBigTraceCurrent(file, targetBytes)) await makeBigTrace({ targetBytes, out: file });
  }
  const bytes = statSync(file).size;
  const runs = Math.max(1, options.runs ?? 1);
  const variants = options.variants ?? BUILTIN_VARIANTS;
  // Round-robin (every variant once per round) so a change in machine load hits all variants alike.
  const reports: ChildReport[][] = variants.map(() => []);
  for (let r = 0; r < runs; r++) {
    for (const [k, variant] of variants.entries()) reports[k]?.push(await runChild(variant, file, options.timeoutMs ?? 600_000));
  }
  const measured = variants.map((variant, k): Omit<VariantResult, 'ratioToSplit'> => {
    const own = reports[k] ?? [];
    const times = own.map((x) => x.seconds).sort((a, b) => a - b);
    const seconds = times[Math.floor(times.length / 2)] ?? 0;
    const first = own[0] as ChildReport;
    return {
      name: variant.name,
      seconds,
      mbPerSecond: bytes / 1e6 / seconds,
      maxRssMb: Math.max(...own.map((x) => x.maxRssKb)) / 1024,
      lines: first.lines,
      ...(first.events === undefined ? {} : { events: first.events }),
      ...(first.issues === undefined ? {} : { issues: first.issues }),
    };
  });
  const split = measured.find((m) => m.name === 'split');
  return {
    file,
    bytes,
    runs,
    variants: measured.map((m) => ({ ...m, ratioToSplit: split === undefined ? 1 : m.mbPerSecond / split.mbPerSecond })),
  };
}

export function formatBench(result: BenchResult): string {
  const rows = [
    `${result.file}: ${(result.bytes / 1e6).toFixed(1)} MB, median of ${result.runs} run(s) per variant`,
    `${'variant'.padEnd(10)}${'MB/s'.padStart(9)}${'x split'.padStart(9)}${'max RSS MB'.padStart(12)}${'lines'.padStart(12)}${'events'.padStart(12)}${'issues'.padStart(9)}`,
  ];
  for (const v of result.variants) {
    rows.push(
      `${v.name.padEnd(10)}${v.mbPerSecond.toFixed(1).padStart(9)}${v.ratioToSplit.toFixed(2).padStart(9)}${v.maxRssMb.toFixed(0).padStart(12)}` +
        `${String(v.lines).padStart(12)}${String(v.events ?? '').padStart(12)}${String(v.issues ?? '').padStart(9)}`,
    );
  }
  return rows.join('\n');
}

/** A `--variant name=module:export` argument. */
export function parseVariant(spec: string): BenchVariant {
  const eq = spec.indexOf('=');
  const rest = spec.slice(eq + 1);
  const colon = rest.lastIndexOf(':');
  if (eq <= 0 || colon <= 0) throw new Error(`--variant expects name=module:export, got ${spec}`);
  return { name: spec.slice(0, eq), module: rest.slice(0, colon), exportName: rest.slice(colon + 1) };
}

/** Child mode: run `module:export` on the file and print one JSON line. */
async function child(spec: string, file: string): Promise<void> {
  const colon = spec.lastIndexOf(':');
  const mod = (await import(pathToFileURL(path.resolve(PROJECT_ROOT, spec.slice(0, colon))).href)) as Record<string, unknown>;
  const fn = mod[spec.slice(colon + 1)];
  if (typeof fn !== 'function') throw new Error(`${spec} is not a function`);
  const start = performance.now();
  const count = (await fn(file)) as VariantCount;
  const seconds = (performance.now() - start) / 1000;
  console.log(JSON.stringify({ ...count, seconds, maxRssKb: process.resourceUsage().maxRSS }));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      file: { type: 'string' },
      mb: { type: 'string' },
      runs: { type: 'string' },
      variant: { type: 'string', multiple: true },
    },
  });
  if (values.child !== undefined) {
    await child(values.child, values.file ?? DEFAULT_BIG_TRACE);
    return;
  }
  const extra = (values.variant ?? []).map(parseVariant);
  const result = await benchParser({
    ...(values.file === undefined ? {} : { file: values.file }),
    ...(values.mb === undefined ? {} : { targetMb: Number(values.mb) }),
    ...(values.runs === undefined ? {} : { runs: Number(values.runs) }),
    variants: [...BUILTIN_VARIANTS, ...extra],
  });
  console.log(formatBench(result));
}

// Not a top-level await: a child imports this very module for its variant, which
// would wait forever on a module still evaluating.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
