/**
 * Policy evaluation speed: evaluations per second of a compiled policy on a
 * realistic mix of normalised events (what a shell control script's trace
 * turns into: mostly file opens, execs, forks and exits inside the jail, a
 * few socket and signal events, a rare unsafe one). The engine runs on every
 * event of 200 MB traces, so this is its budget.
 *
 * Run alone: `npx tsx bench/policy-bench.ts [--events N] [--rounds N] [--policy FILE]...`
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { EventClass, ModelEvent, ProcessInfo } from '../harness/model/model-event.js';
import { compilePolicy } from '../harness/policy/compile-policy.js';
import { loadPolicy } from '../harness/policy/load-policy.js';

export interface PolicyBenchOptions {
  /** Evaluations per round. Default: `500000`. */
  readonly events?: number;
  /** Timed rounds (after one warm-up round); the median is reported. Default: `5`. */
  readonly rounds?: number;
  /** Policy files, as for `--policy`. Default: `[]` (the built-in policy). */
  readonly policyFiles?: readonly string[];
  /** Milliseconds clock. Default: `performance.now`. */
  readonly now?: () => number;
}

export interface PolicyBenchResult {
  readonly policy: string;
  readonly policyHash: string;
  readonly events: number;
  readonly rounds: number;
  /** Share of each class in the mix. */
  readonly mix: Readonly<Partial<Record<EventClass, number>>>;
  readonly findingsPerRound: number;
  readonly medianMs: number;
  readonly evaluationsPerSecond: number;
}

/** Relative weights of each kind of event in the mix. */
const WEIGHTS: readonly [string, number][] = [
  ['fs-read', 420],
  ['fs-write', 180],
  ['exec', 90],
  ['process-start', 90],
  ['process-exit', 90],
  ['exec-missing', 10],
  ['socket-none', 20],
  ['signal-own', 15],
  ['serve-netlink', 5],
  ['kill-booted', 1],
  ['write-booted', 1],
  ['request-booted', 1],
];

/** A small seeded generator so every run measures the same events. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PROCESSES: ProcessInfo[] = ['sh', 'cat', 'grep', 'awk', 'sed', 'cp', 'mkdir', 'swmodify'].map((name, i) => ({
  pid: 2000 + i,
  nsPid: 40 + i,
  exe: `/usr/bin/${name}`,
  argv: [name, '-v', `/var/adm/sw/products/PKG/fs/file${i}`],
  origin: 'runcmd',
  root: '/images/inactive',
  cwd: '/images/inactive',
  ancestry: [2000 + i, 2000],
  ancestryArgv: [[name], ['sh']],
}));

function makeEvent(kind: string, seq: number, next: () => number): ModelEvent {
  const process = PROCESSES[Math.floor(next() * PROCESSES.length)] ?? (PROCESSES[0] as ProcessInfo);
  const n = Math.floor(next() * 1000);
  const common = {
    seq,
    syscall: 'openat',
    ok: true,
    line: seq + 1,
    raw: `openat(AT_FDCWD, "/etc/f${n}", O_RDONLY) = 3`,
    process,
    phase: 'postinstall' as const,
    location: { file: '/script', line: 1 + (n % 40) },
  };
  const path = (tree: 'inactive' | 'booted', p: string) => ({ path: p, real: `/images/${tree}${p}`, tree, resolvedBy: 'decoration' as const });
  switch (kind) {
    case 'fs-read':
      return { ...common, class: 'fs-read', fs: { op: 'open-write', target: path('inactive', `/usr/lib/lib${n}.so`) } };
    case 'fs-write':
      return { ...common, class: 'fs-write', fs: { op: n % 3 === 0 ? 'unlink' : 'create', target: path('inactive', `/var/opt/app/f${n}`) } };
    case 'write-booted':
      return { ...common, class: 'fs-write', fs: { op: 'open-write', target: path('booted', '/etc/motd') } };
    case 'exec':
      return { ...common, class: 'exec', syscall: 'execve', exec: { path: `/usr/bin/tool${n % 20}`, argv: [`tool${n % 20}`, '-q', `arg${n}`] } };
    case 'exec-missing':
      return { ...common, class: 'exec', syscall: 'execve', ok: false, errno: 'ENOENT', exec: { path: `/usr/local/bin/x${n}`, argv: [`x${n}`] } };
    case 'process-start':
      return { ...common, class: 'process-start', syscall: 'clone' };
    case 'process-exit':
      return { ...common, class: 'process-exit', syscall: 'exit_group', exit: { code: 0, outlivedScript: false } };
    case 'socket-none':
      return {
        ...common,
        class: 'socket',
        syscall: 'connect',
        ok: false,
        errno: 'ENOENT',
        socket: { op: 'connect', endpoint: { family: 'unix', path: '/var/run/nscd/socket', servedBy: 'none' } },
      };
    case 'request-booted':
      return {
        ...common,
        class: 'socket',
        syscall: 'connect',
        socket: { op: 'connect', endpoint: { family: 'unix', path: '@vxconfigd', servedBy: 'booted', server: 'vxconfigd' } },
      };
    case 'serve-netlink':
      return { ...common, class: 'serve', syscall: 'bind', socket: { op: 'bind', endpoint: { family: 'netlink', servedBy: 'none' } } };
    case 'signal-own':
      return { ...common, class: 'signal', syscall: 'kill', signal: { name: 'SIGTERM', number: 15, target: { kind: 'process', nsPid: 90, origin: 'runcmd' } } };
    default:
      return {
        ...common,
        class: 'signal',
        syscall: 'kill',
        signal: { name: 'SIGKILL', number: 9, target: { kind: 'process', nsPid: 57, name: 'comsec', origin: 'booted' } },
      };
  }
}

/** A fixed pool of distinct events, cycled through by the timed loop. */
export function eventMix(size = 20_000, seed = 1): ModelEvent[] {
  const next = random(seed);
  const total = WEIGHTS.reduce((sum, [, w]) => sum + w, 0);
  const events: ModelEvent[] = [];
  for (let i = 0; i < size; i++) {
    let pick = next() * total;
    let kind = WEIGHTS[0]?.[0] ?? 'fs-read';
    for (const [k, w] of WEIGHTS) {
      if (pick < w) {
        kind = k;
        break;
      }
      pick -= w;
    }
    events.push(makeEvent(kind, i, next));
  }
  return events;
}

export async function benchPolicy(options: PolicyBenchOptions = {}): Promise<PolicyBenchResult> {
  const total = options.events ?? 500_000;
  const rounds = options.rounds ?? 5;
  const now = options.now ?? (() => performance.now());
  const policy = compilePolicy(await loadPolicy([...(options.policyFiles ?? [])]));
  const pool = eventMix();
  const mix: Partial<Record<EventClass, number>> = {};
  for (const e of pool) mix[e.class] = (mix[e.class] ?? 0) + 1;
  for (const c of Object.keys(mix) as EventClass[]) mix[c] = Math.round(((mix[c] ?? 0) / pool.length) * 1000) / 1000;

  const round = (): number => {
    let findings = 0;
    for (let i = 0; i < total; i++) findings += policy.evaluate(pool[i % pool.length] as ModelEvent).length;
    return findings;
  };
  const findingsPerRound = round();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = now();
    round();
    times.push(now() - start);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? 0;
  return {
    policy: policy.identity.name,
    policyHash: policy.policyHash,
    events: total,
    rounds,
    mix,
    findingsPerRound,
    medianMs,
    evaluationsPerSecond: medianMs > 0 ? Math.round((total / medianMs) * 1000) : Infinity,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { events: { type: 'string' }, rounds: { type: 'string' }, policy: { type: 'string', multiple: true } } });
  const result = await benchPolicy({
    ...(values.events === undefined ? {} : { events: Number(values.events) }),
    ...(values.rounds === undefined ? {} : { rounds: Number(values.rounds) }),
    ...(values.policy === undefined ? {} : { policyFiles: values.policy }),
  });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}
