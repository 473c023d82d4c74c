/**
 * The environment probes a run lost: answers the script got from the system
 * and may have branched on, which a system where the product is installed
 * would have answered the other way. From what the model kept
 * (model/coverage-recorder.ts):
 * - a call of the script's processes that asked about a path and got
 *   ENOENT or ENOTDIR (open, the stat family, access, readlink, execve), when
 *   the script names that path (its text, the command its line ran as, a
 *   test of it, the program's argv): a library or locale file a program
 *   looks for on its own, or a directory of a PATH search, is not the
 *   script's question; EACCES is listed as one that cannot be made true;
 * - a process search that found nothing: a `grep` that exited 1 on a line
 *   that ran `ps` (`ps -ef | grep -q acmeagt`), or a `pgrep`;
 * - signal 0 to a pid answered ESRCH.
 * Each probe is classified (pid file, init script, program, config,
 * directory, file, process, pid) and given its subject: the daemon or
 * product it is about, so that probes of one product are made true together.
 */
import path from 'node:path';
import type { ProbeKind, ProbeRecord } from '../contract/exploration-record.js';
import type { CoverageRecorder, FailedProbe, ProcessSearch, TestedPath } from '../model/coverage-recorder.js';

export interface ProbeSource {
  readonly recorder: CoverageRecorder;
  /** The control script's text: a path written in it is the script's question. */
  readonly scriptText?: string;
  /** The run's number: 0 for the first run, a variant's id. */
  readonly run: number;
  /**
   * Programs the run tried to exec that exist nowhere (the policy's
   * `unknown-command` findings: a typo, another system's tool): no system
   * where the product is installed has them, so no stand-in stands for them.
   */
  readonly nowhere?: ReadonlySet<string>;
}

/** Answers exploration can turn around by making the path exist. */
const MISSING: ReadonlySet<string> = new Set(['ENOENT', 'ENOTDIR']);
/** Trees of the system that no package install changes (or that the sandbox makes itself). */
const NOT_THE_PRODUCTS = /^\/(?:proc|sys|dev)(?:\/|$)/;
const INIT_SCRIPT = /^\/(?:sbin\/init\.d|etc\/init\.d|etc\/rc\.d\/init\.d)\/[^/]+$/;
const RC_LINK = /^\/(?:sbin|etc)\/rc[0-9S]\.d\/[SK][0-9]*([^/]+)$/;
const RC_CONFIG = /^\/etc\/rc\.config\.d\/[^/]+$/;
/** Where add-on products live (hier(5)): /opt/<product>, /etc/opt/<product>, /var/opt/<product>. */
const PRODUCT_TREE = /^\/(?:etc\/|var\/)?opt\/([^/]+)/;
const CONFIG_NAME = /\.(?:conf|cfg|config|cf|rc|ini|properties|env)$/;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*$/;
/** Names of pid files and their directories that name no daemon. */
const GENERIC: ReadonlySet<string> = new Set(['', 'pid', 'daemon', 'run', 'var', 'tmp', 'opt', 'etc', 'lock', 'locks']);
/** grep options that take a value (the pattern is then not the next word). */
const GREP_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-e', '-f', '-m', '-A', '-B', '-C', '-d', '-D']);
const PGREP_VALUE_OPTIONS: ReadonlySet<string> = new Set(['-u', '-U', '-g', '-G', '-P', '-s', '-t', '-F', '--signal']);

export function listProbes(source: ProbeSource): ProbeRecord[] {
  const { recorder } = source;
  const out: ProbeRecord[] = [];
  const seenPaths = new Set<string>();
  for (const p of recorder.probes) {
    const where = p.jailPath ?? (p.path.startsWith('/') ? path.posix.normalize(p.path) : undefined);
    if (where === undefined || NOT_THE_PRODUCTS.test(where) || seenPaths.has(where)) continue;
    const tested = recorder.tested.get(where) ?? recorder.tested.get(p.path);
    if (!asked(p, tested, source.scriptText)) continue;
    seenPaths.add(where);
    const probe = pathProbe(p, where, tested, source.run);
    const invented =
      probe.kind === 'program' && probe.unplannable === undefined && (source.nowhere?.has(p.path) === true || source.nowhere?.has(where) === true);
    out.push(
      invented
        ? { ...probe, unplannable: "a program that exists nowhere (unknown-command: a typo, another system's tool): a stand-in would invent it" }
        : probe,
    );
  }
  for (const s of recorder.searches) {
    const probe = searchProbe(s, recorder, source.run);
    if (probe !== undefined && !out.some((o) => o.kind === 'process' && o.name === probe.name)) out.push(probe);
  }
  for (const m of recorder.missingProcesses) {
    if (out.some((o) => o.kind === 'pid' && o.pid === m.pid)) continue;
    out.push({
      kind: 'pid',
      pid: m.pid,
      call: 'kill',
      answer: 'ESRCH',
      ...(m.scriptLine === undefined ? {} : { line: m.scriptLine }),
      traceLine: m.traceLine,
      subject: `pid ${m.pid}`,
      run: source.run,
      unplannable: 'drdsafe cannot start a process under a pid the script chose: the booted system gives pids in the order it starts processes',
    });
  }
  return out;
}

/** The script asked about this path itself: it names it, tests it, or its command does. */
function asked(p: FailedProbe, tested: TestedPath | undefined, scriptText: string | undefined): boolean {
  if (p.named === true || tested !== undefined) return true;
  return scriptText !== undefined && (scriptText.includes(p.path) || (p.jailPath !== undefined && scriptText.includes(p.jailPath)));
}

function pathProbe(p: FailedProbe, where: string, tested: TestedPath | undefined, run: number): ProbeRecord {
  const tests = tested === undefined ? [] : [...tested.ops].sort();
  const kind = kindOf(where, p, tests);
  const line = p.scriptLine ?? tested?.line;
  const errno = p.errno ?? 'failed';
  return {
    kind,
    path: where,
    call: p.syscall,
    answer: errno,
    ...(line === undefined ? {} : { line }),
    traceLine: p.traceLine,
    ...(tests.length > 0 ? { tests } : {}),
    subject: subjectOf(kind, where),
    run,
    ...(MISSING.has(errno) ? {} : { unplannable: `the path is there but ${errno} refused the script's process; exploration only makes missing paths exist` }),
  };
}

function kindOf(where: string, p: FailedProbe, tests: readonly string[]): ProbeKind {
  if (INIT_SCRIPT.test(where) || RC_LINK.test(where)) return 'init-script';
  const base = path.posix.basename(where);
  if (base.endsWith('.pid') || base === 'pid') return 'pid-file';
  if (RC_CONFIG.test(where)) return 'config';
  if (p.syscall === 'execve' || p.syscall === 'execveat' || p.executable === true || tests.includes('-x')) return 'program';
  if (tests.includes('-d')) return 'directory';
  if (CONFIG_NAME.test(base) || where.startsWith('/etc/')) return 'config';
  return 'file';
}

/** A daemon's name from its pid file (`/var/run/acmeagt.pid`), init script or rc link. */
export function daemonName(kind: ProbeKind, where: string): string | undefined {
  const base = path.posix.basename(where);
  if (kind === 'pid-file') {
    // `/var/opt/acme/run/pid`-like names say nothing: the first directory above that does.
    let name = base === 'pid' ? '' : base.slice(0, -'.pid'.length);
    for (let dir = path.posix.dirname(where); GENERIC.has(name) && dir !== '/'; dir = path.posix.dirname(dir)) name = path.posix.basename(dir);
    return NAME.test(name) && !GENERIC.has(name) ? name : undefined;
  }
  if (kind === 'init-script') {
    const rc = RC_LINK.exec(where);
    const name = rc !== null ? (rc[1] as string) : base;
    return NAME.test(name) ? name : undefined;
  }
  return undefined;
}

/**
 * What a probe is about: the daemon a pid file or init script names, the
 * rc.config.d file's name, the product whose tree (`/opt/<product>`) holds
 * the path, or the path itself.
 */
function subjectOf(kind: ProbeKind, where: string): string {
  const daemon = daemonName(kind, where);
  if (daemon !== undefined) return daemon;
  if (RC_CONFIG.test(where)) return path.posix.basename(where);
  const product = PRODUCT_TREE.exec(where);
  if (product !== null) return product[1] as string;
  return where;
}

/** A grep after a `ps` on the same line, or a pgrep, that found nothing: the name it looked for. */
function searchProbe(s: ProcessSearch, recorder: CoverageRecorder, run: number): ProbeRecord | undefined {
  const program = path.posix.basename(s.argv[0] ?? '');
  const pgrep = program === 'pgrep';
  if (!pgrep) {
    const seen = s.scriptLine === undefined ? undefined : recorder.lines.get(s.scriptLine);
    const ps = seen !== undefined && (seen.words.has('ps') || seen.expansions.some((x) => /(?:^|\s|\/)ps(?:\s|$)/.test(x)));
    if (!ps) return undefined;
  }
  // `ps -ef | grep acmeagt | grep -v grep`: the first grep finds itself, the last one finds nothing.
  const pattern = patternOf(s.argv, pgrep) ?? (inverted(s.argv) ? searchedOnLine(s, recorder) : undefined);
  if (pattern === undefined) return undefined;
  const name = plainName(pattern);
  const base = {
    kind: 'process' as const,
    call: program,
    answer: 'exit 1',
    ...(s.scriptLine === undefined ? {} : { line: s.scriptLine }),
    traceLine: s.traceLine,
    run,
  };
  if (name === undefined) {
    return { ...base, name: pattern, subject: pattern, unplannable: `the search \`${pattern}\` is not a plain process name, so no daemon name answers it` };
  }
  return { ...base, name, subject: name };
}

/** The pattern a grep or pgrep searched for; undefined for an inverted search (`grep -v grep`). */
function patternOf(argv: readonly string[], pgrep: boolean): string | undefined {
  const valued = pgrep ? PGREP_VALUE_OPTIONS : GREP_VALUE_OPTIONS;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') return argv[i + 1];
    if (a === '-e' && !pgrep) return argv[i + 1];
    if (a.startsWith('-') && a.length > 1) {
      if (!pgrep && /^-[A-Za-z]*v/.test(a) && !a.startsWith('--')) return undefined;
      if (valued.has(a)) i++;
      continue;
    }
    return a;
  }
  return undefined;
}

function inverted(argv: readonly string[]): boolean {
  return argv.slice(1).some((a) => /^-[A-Za-z]*v/.test(a));
}

/** The pattern of the other grep of the search's line (the one that does not invert). */
function searchedOnLine(s: ProcessSearch, recorder: CoverageRecorder): string | undefined {
  const seen = s.scriptLine === undefined ? undefined : recorder.lines.get(s.scriptLine);
  for (const x of seen?.expansions ?? []) {
    const words = x.split(/\s+/).map((w) => w.replace(/^'(.*)'$/, '$1'));
    if (!/^[ef]?grep$/.test(path.posix.basename(words[0] ?? ''))) continue;
    const pattern = patternOf(words, false);
    if (pattern !== undefined) return pattern;
  }
  return undefined;
}

/** `acmeagt`, `[a]cmeagt`, `^acmeagt$`, `/opt/acme/bin/acmeagt` -> a process name; undefined for a real regular expression. */
function plainName(pattern: string): string | undefined {
  let p = pattern
    .replace(/\\[<>b]/g, '')
    .replace(/^\^/, '')
    .replace(/\$$/, '');
  // The `[a]cmeagt` idiom keeps grep from finding itself.
  p = p.replace(/\[([A-Za-z0-9])\]/g, '$1');
  if (p.includes('/')) p = path.posix.basename(p);
  return NAME.test(p) ? p : undefined;
}
