/**
 * What tracing costs, measured side by side in one run in one sandbox
 * container of the current image, pinned to one CPU as runs are:
 *
 * 1. Phase wall time of the same scripts in the same jail (`jail-exec` onto a
 *    copy of the booted tree, in a fresh PID namespace) four ways: untraced,
 *    drdsafe's strace (as run-phase starts it: inside the namespace, from
 *    tracer-exec, with its flags and `--seccomp-bpf` with the policy's set),
 *    bare `strace -f`, and bare `strace -f --seccomp-bpf -e trace=<policy
 *    set>` (both from outside the namespace, as a user would run them).
 *    Workloads: the seed corpus, a fork-heavy script (1000 short commands) and
 *    a file-heavy one (2000 small files created, then removed). Variants are
 *    interleaved per repetition so drift hits them all alike.
 * 2. The fixed cost of `drdsafe run` per script: command start to report
 *    written, for every seed example, through the real path (`runScript`).
 *    These runs go first; the first one's result.json gives strace's options
 *    as run-phase really uses them, so the comparison measures those.
 *
 * Targets: drdsafe tracing within 1.1x of bare seccomp-bpf; fixed cost under 1.5 s.
 * Run: `npx tsx bench/sandbox-bench.ts [--reps N] [--breakdown] [--synthetic-only]`; JSON lands in bench/out/.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { quietIo } from '../harness/app/io.js';
import { ensureSandboxImage } from '../harness/image/ensure-sandbox-image.js';
import { PROJECT_ROOT } from '../harness/project-root.js';
import { tracedSyscallsFor } from '../harness/app/traced-syscalls-for.js';
import { PROBE_TRACED_SYSCALLS } from '../harness/policy/traced-syscalls.js';
import { loadCase } from '../harness/corpus/load-corpus.js';
import { DockerContainerClient } from '../harness/engine/docker-container-client.js';
import { containerLabels, newSession } from '../harness/engine/labels.js';
import { runScript } from '../harness/app/run-script.js';
import { Sandbox } from '../harness/sandbox/sandbox.js';
import { sandboxSpec } from '../harness/sandbox/sandbox-spec.js';
import { packFiles } from '../harness/engine/tar-archive.js';

export const VARIANTS = ['untraced', 'drdsafe', 'strace', 'strace-seccomp'] as const;
/** drdsafe's strace tracing the probe calls too, as a run with branch exploration does. */
export const WITH_PROBES = 'drdsafe+probes';
export type Variant = (typeof VARIANTS)[number];

const TRACE_FILE = '/tmp/bench-trace.txt';

/**
 * How one variant runs the jail: `outside` goes before the PID namespace is
 * made (where bare strace runs, as a user would run it), `inside` after it,
 * before `jail-exec` (where drdsafe's strace runs, as run-phase runs it: from
 * tracer-exec, as the tracer's user).
 */
export interface VariantCommand {
  readonly outside: readonly string[];
  readonly inside: readonly string[];
}

/** Each variant's commands; strace always writes a file, as drdsafe does. */
export function variantCommands(drdsafe: DrdsafeTracer, syscalls: readonly string[], breakdown: boolean): Record<string, VariantCommand> {
  const out = ['-o', TRACE_FILE, '--'];
  const inside = (options: readonly string[], program: string = drdsafe.program): VariantCommand => ({
    outside: [],
    inside: [...drdsafe.launcher, program, ...options, ...out],
  });
  const variants: Record<string, VariantCommand> = {
    untraced: { outside: [], inside: [] },
    drdsafe: inside(drdsafe.options),
    strace: { outside: ['strace', '-f', ...out], inside: [] },
    'strace-seccomp': { outside: ['strace', '-f', '--seccomp-bpf', '-e', `trace=${syscalls.join(',')}`, ...out], inside: [] },
    // What branch exploration adds: the calls that only ask about a path (the stat family, access, readlink).
    [WITH_PROBES]: inside(
      drdsafe.options.map((a) =>
        a.startsWith('trace=') ? `trace=${[...new Set([...a.slice('trace='.length).split(','), ...PROBE_TRACED_SYSCALLS])].join(',')}` : a,
      ),
    ),
  };
  if (breakdown) {
    // drdsafe's options less one at a time: which of them the overhead comes from.
    const drops = [
      ['no -ttt', ['-ttt']],
      ['no fd decoding', ['--decode-fds=path,socket,pidfd']],
      ['-y only', ['--decode-fds=path,socket,pidfd']],
      ['no -s', ['-s']],
    ] as const;
    for (const [name, drop] of drops) {
      const args: string[] = [];
      for (let i = 0; i < drdsafe.options.length; i++) {
        const a = drdsafe.options[i]!;
        if (!(drop as readonly string[]).includes(a)) args.push(a);
        else if (a === '-s') i++;
        else if (name === '-y only') args.push('-y');
      }
      variants[`drdsafe ${name}`] = inside(args);
    }
    // The same options with Debian's strace, which has no cwd cache (images/strace/build-strace.sh).
    variants["drdsafe, Debian's strace"] = inside(drdsafe.options, 'strace');
    // Without the hex dump of what goes to fd 2 (the shell's xtrace lines).
    const noDump: string[] = [];
    for (let i = 0; i < drdsafe.options.length; i++) {
      if (drdsafe.options[i] === '-e' && drdsafe.options[i + 1] === 'write=2') i++;
      else noDump.push(drdsafe.options[i]!);
    }
    variants['drdsafe no dump'] = inside(noDump);
  }
  return variants;
}

export interface BenchOptions {
  /** Repetitions of every (script, variant). Default: `9` (run-to-run noise here is about 4%, close to the 1.1x margin). */
  readonly reps?: number;
  /** Time only the fork-heavy and file-heavy scripts (the corpus still gives the fixed cost). Default: `false`. */
  readonly syntheticOnly?: boolean;
  /** Also time drdsafe's strace with one option left out at a time. Default: `false`. */
  readonly breakdown?: boolean;
  /** Seed example folders. Default: the project's examples/seed-examples. */
  readonly corpusDir?: string;
  /** Progress lines. Default: stderr. */
  readonly log?: (line: string) => void;
}

export interface WorkloadResult {
  readonly workload: string;
  /** Median ms per variant (for the corpus: sum over scripts of each script's median). */
  readonly medianMs: Readonly<Record<Variant, number>>;
  /** drdsafe tracing the probe calls too (branch exploration), median ms, and against drdsafe (geomean over scripts). */
  readonly withProbes: { readonly medianMs: number; readonly vsDrdsafe: number };
  readonly ratios: {
    readonly drdsafeVsUntraced: number;
    readonly drdsafeVsBareSeccomp: number;
    readonly bareStraceVsUntraced: number;
    readonly bareSeccompVsUntraced: number;
  };
}

export interface BenchResult {
  readonly image: string;
  /** strace as drdsafe ran it (run-phase's options). */
  readonly drdsafeStrace: readonly string[];
  readonly reps: number;
  readonly tracedSyscalls: readonly string[];
  readonly workloads: readonly WorkloadResult[];
  /** Median ms of every script under every variant. */
  readonly scripts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** `drdsafe run` per seed example in this process: command start to report written. */
  readonly fixedCost: {
    readonly medianMs: number;
    readonly maxMs: number;
    readonly medianPhaseMs: number;
    readonly perScriptMs: Readonly<Record<string, number>>;
  };
}

const FORK_HEAVY = `#!/sbin/sh
i=0
while [ $i -lt 1000 ]; do
  /bin/true
  i=$((i + 1))
done
exit 0
`;

const FILE_HEAVY = `#!/sbin/sh
mkdir -p /var/tmp/bench-files
i=0
while [ $i -lt 2000 ]; do
  echo "file $i" > /var/tmp/bench-files/f$i
  i=$((i + 1))
done
rm -rf /var/tmp/bench-files
exit 0
`;

/** The SD environment of the jail; PS4 comes from a real run (`ps4Template`). */
const JAIL_ENV = {
  PATH: '/sbin:/usr/sbin:/usr/bin:/bin',
  HOME: '/',
  SW_SESSION_IS_DRD: '1',
  SW_ROOT_DIRECTORY: '/',
  SW_CONTROL_DIRECTORY: '/var/adm/sw/products/BENCH/payload/',
};

/** Stands for the script's jail path, slashes escaped as ksh93's pattern wants them, in a PS4 template. */
const JAIL_PATH_SLOT = '{JAIL}';

/**
 * The PS4 a real run used (result.json's `xtracePs4`), with its script's
 * jail path made a slot: run-phase writes the script's own path into PS4
 * (as a pattern that shortens it), and the bench's scripts live elsewhere.
 */
export function ps4Template(ps4: string | undefined, scriptJailPath: string): string {
  if (ps4 === undefined) throw new Error('the first run recorded no xtracePs4 in result.json');
  return ps4.split(scriptJailPath.replaceAll('/', '\\/')).join(JAIL_PATH_SLOT);
}

/** Runs in the container, outside both trees: times every variant with perf_counter around the whole command. */
const DRIVER = String.raw`
import json, os, random, shutil, subprocess, sys, threading, time
cfg = json.load(open(sys.argv[1]))
J = "/images/inactive"
TEMPLATE = "/opt/drdsafe/booted"
def reset():
    for name in os.listdir(J):
        p = os.path.join(J, name)
        shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.unlink(p)
    subprocess.run(["cp", "-a", TEMPLATE + "/.", J], check=True)
def env_for(jail_path):
    # Slashes escaped for the ksh93 pattern run-phase's ps4_for writes them into.
    return dict(cfg["env"], PS4=cfg["ps4"].replace("{JAIL}", jail_path.replace("/", "\\/")))
prefix = cfg["variants"]
times = {s["name"]: {v: [] for v in prefix} for s in cfg["scripts"]}
rng = random.Random(1)
for rep in range(cfg["reps"]):
    for s in cfg["scripts"]:
        order = list(prefix)
        rng.shuffle(order)
        for v in order:
            reset()
            jail_path = "/var/adm/sw/products/BENCH/payload/" + s["phase"]
            os.makedirs(os.path.dirname(J + jail_path), exist_ok=True)
            with open(J + jail_path, "w") as f:
                f.write(s["text"])
            os.chmod(J + jail_path, 0o755)
            cmd = prefix[v]
            # drdsafe's strace is the namespace's first process and would wait for
            # any leftover; as in run-phase, its phase ends when jail-exec's keeper
            # reports the script's end, then the namespace goes (--kill-child).
            # Elsewhere the shell is that first process: its exit ends the namespace.
            r = w = None
            jail = ["/opt/drdsafe/bin/jail-exec"]
            if cmd["inside"]:
                r, w = os.pipe()
                jail += ["--status-fd", str(w)]
            argv = (cmd["outside"] + ["unshare", "--pid", "--fork", "--kill-child", "--mount", "--mount-proc=" + J + "/proc"]
                    + cmd["inside"] + jail + [J, "/sbin/sh", "-x", jail_path])
            with open("/tmp/bench-stdout", "wb") as out, open("/tmp/bench-stderr", "wb") as err:
                # Blocking waits: subprocess's wait with a timeout polls in steps of
                # up to 50 ms, which would round every time to that grain.
                t0 = time.perf_counter()
                proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env_for(jail_path),
                                        pass_fds=() if w is None else (w,))
                watchdog = threading.Timer(300, proc.kill)
                watchdog.start()
                if r is not None:
                    os.close(w)
                    report = b""
                    while not report.endswith(b"\n"):
                        chunk = os.read(r, 64)
                        if not chunk:
                            break
                        report += chunk
                    elapsed = (time.perf_counter() - t0) * 1000
                    os.close(r)
                    proc.kill()
                    proc.wait()
                else:
                    proc.wait()
                    elapsed = (time.perf_counter() - t0) * 1000
                watchdog.cancel()
                times[s["name"]][v].append(elapsed)
json.dump(times, sys.stdout)
`;

/** drdsafe's tracer as run-phase started it: the launcher before `strace`, and strace's options. */
export interface DrdsafeTracer {
  /** `tracer-exec UID`. */
  readonly launcher: readonly string[];
  /** The strace run-phase runs (the image's, with the cwd cache). */
  readonly program: string;
  readonly options: readonly string[];
}

/**
 * strace's options exactly as run-phase used them in a real run (from
 * result.json's `strace.argv`: `tracer-exec UID strace OPTIONS -- jail-exec
 * ...`), minus the output file.
 */
export function drdsafeTracer(argv: readonly string[] | undefined): DrdsafeTracer {
  if (!argv) throw new Error('the first run recorded no strace argv in result.json');
  const at = argv.findIndex((a) => a === 'strace' || a.endsWith('/strace'));
  if (at < 0) throw new Error(`no strace in the recorded command: ${argv.join(' ')}`);
  const end = argv.indexOf('--', at);
  const options = argv.slice(at + 1, end < 0 ? argv.length : end);
  const out: string[] = [];
  for (let i = 0; i < options.length; i++) {
    if (options[i] === '-o') i++;
    else out.push(options[i]!);
  }
  return { launcher: argv.slice(0, at), program: argv[at]!, options: out };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * Medians per variant (summed over scripts) and ratios. Over several scripts a
 * ratio is the geometric mean of the per-script ratios, so one script that
 * mostly waits (the same in every variant) does not hide the others.
 */
function workload(name: string, perScript: readonly Readonly<Record<string, readonly number[]>>[]): WorkloadResult {
  const medians = perScript.map((s) => Object.fromEntries(VARIANTS.map((v) => [v, median(s[v] ?? [])])) as Record<Variant, number>);
  const medianMs = Object.fromEntries(
    VARIANTS.map((v) => [
      v,
      round(
        medians.reduce((sum, m) => sum + m[v], 0),
        1,
      ),
    ]),
  ) as Record<Variant, number>;
  const ratio = (a: Variant, b: Variant): number => round(Math.exp(medians.reduce((sum, m) => sum + Math.log(m[a] / m[b]), 0) / medians.length));
  const probes = perScript.map((s) => median(s[WITH_PROBES] ?? []));
  const withProbes = {
    medianMs: round(
      probes.reduce((sum, m) => sum + m, 0),
      1,
    ),
    vsDrdsafe: round(Math.exp(probes.reduce((sum, m, i) => sum + Math.log(m / (medians[i] as Record<Variant, number>).drdsafe), 0) / probes.length)),
  };
  return {
    workload: name,
    medianMs,
    withProbes,
    ratios: {
      drdsafeVsUntraced: ratio('drdsafe', 'untraced'),
      drdsafeVsBareSeccomp: ratio('drdsafe', 'strace-seccomp'),
      bareStraceVsUntraced: ratio('strace', 'untraced'),
      bareSeccompVsUntraced: ratio('strace-seccomp', 'untraced'),
    },
  };
}

interface SeedScript {
  readonly name: string;
  readonly phase: string;
  readonly file: string;
  readonly text: string;
}

async function seedScripts(dir: string): Promise<SeedScript[]> {
  const out: SeedScript[] = [];
  for (const name of (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const c = await loadCase(path.join(dir, name));
    out.push({ name, phase: c.phase, file: c.script, text: await readFile(c.script, 'utf8') });
  }
  return out;
}

export async function benchSandbox(options: BenchOptions = {}): Promise<BenchResult> {
  const log = options.log ?? ((line: string) => void process.stderr.write(line + '\n'));
  const reps = options.reps ?? 9;
  const client = new DockerContainerClient();
  const session = newSession();
  const signal = new AbortController().signal;
  const image = await ensureSandboxImage(client, { imagesDir: path.join(PROJECT_ROOT, 'images'), session, signal, log });
  const syscalls = await tracedSyscallsFor([]);
  const seeds = await seedScripts(options.corpusDir ?? path.join(PROJECT_ROOT, 'examples', 'seed-examples'));

  // 1. Fixed cost of `drdsafe run`, through the real path, image already ensured.
  const perScriptMs: Record<string, number> = {};
  const phaseMs: number[] = [];
  let straceArgv: readonly string[] | undefined;
  let ps4: string | undefined;
  const runsDir = path.join(PROJECT_ROOT, 'bench', 'out', 'runs');
  for (const seed of seeds) {
    const started = Date.now();
    const outcome = await runScript(
      { scriptPath: seed.file, phase: seed.phase, outDir: path.join(runsDir, seed.name), format: 'json' },
      { io: quietIo(process.cwd(), { signal }), client, session, image, startedAt: started, log: () => undefined },
    );
    perScriptMs[seed.name] = Date.now() - started;
    phaseMs.push(outcome.timings.phaseWallMs);
    straceArgv ??= outcome.result.strace?.argv;
    ps4 ??= ps4Template(outcome.result.xtracePs4, outcome.result.scriptJailPath);
  }
  // 2. Phase wall time, four ways, in one container.
  const { cpus } = await client.info();
  const spec = sandboxSpec({ image: image.ref, labels: containerLabels(session, 'bench', Date.now() + 3_600_000), engineCpus: cpus });
  const timedSeeds = options.syntheticOnly ? [] : seeds;
  const scripts = [
    ...timedSeeds.map((s) => ({ name: s.name, phase: s.phase, text: s.text })),
    { name: 'fork-heavy', phase: 'postinstall', text: FORK_HEAVY },
    { name: 'file-heavy', phase: 'postinstall', text: FILE_HEAVY },
  ];
  const tracer = drdsafeTracer(straceArgv);
  const variants = variantCommands(tracer, syscalls, options.breakdown ?? false);
  let times: Record<string, Record<string, number[]>>;
  {
    await using sandbox = await new Sandbox(client, spec, { signal }).start();
    await sandbox.putArchive(
      '/',
      packFiles([
        { name: 'drdsafe/bench/driver.py', content: DRIVER },
        { name: 'drdsafe/bench/config.json', content: JSON.stringify({ reps, scripts, env: JAIL_ENV, ps4, variants }) },
      ]),
    );
    log(`bench: ${scripts.length} scripts x ${Object.keys(variants).length} variants x ${reps} repetitions in ${sandbox.id.slice(0, 12)}`);
    const result = await sandbox.exec({ cmd: ['python3', '/drdsafe/bench/driver.py', '/drdsafe/bench/config.json'] });
    if (result.exitCode !== 0) throw new Error(`bench driver failed (${result.exitCode}): ${result.stderr.toString().slice(-2000)}`);
    times = JSON.parse(result.stdout.toString()) as typeof times;
  }
  const workloads = [
    ...(timedSeeds.length > 0
      ? [
          workload(
            `seed corpus (${seeds.length} scripts; ratios: geomean)`,
            timedSeeds.map((s) => times[s.name]!),
          ),
        ]
      : []),
    workload('fork-heavy (1000 commands)', [times['fork-heavy']!]),
    workload('file-heavy (2000 files)', [times['file-heavy']!]),
  ];

  const costs = Object.values(perScriptMs);
  return {
    image: image.ref,
    drdsafeStrace: [...tracer.launcher, tracer.program, ...tracer.options],
    reps,
    tracedSyscalls: syscalls,
    workloads,
    scripts: Object.fromEntries(
      Object.entries(times).map(([name, byVariant]) => [name, Object.fromEntries(Object.entries(byVariant).map(([v, ms]) => [v, round(median(ms), 1)]))]),
    ) as BenchResult['scripts'],
    fixedCost: { medianMs: median(costs), maxMs: Math.max(...costs), medianPhaseMs: round(median(phaseMs), 1), perScriptMs },
  };
}

export function formatBench(result: BenchResult): string {
  const lines = [
    `sandbox bench: ${result.image}, ${result.reps} repetitions, ${result.tracedSyscalls.length} traced syscalls`,
    `drdsafe strace: ${result.drdsafeStrace.map((a) => (a.startsWith('trace=') ? 'trace=<policy set>' : a)).join(' ')}`,
    '',
    `${'workload'.padEnd(44)} ${VARIANTS.map((v) => v.padStart(15)).join('')}   drdsafe/untraced  drdsafe/bare-seccomp  strace/untraced`,
  ];
  for (const w of result.workloads) {
    lines.push(
      `${w.workload.padEnd(44)} ${VARIANTS.map((v) => `${w.medianMs[v].toFixed(1)} ms`.padStart(15)).join('')}   ${`${w.ratios.drdsafeVsUntraced}x`.padStart(16)}  ${`${w.ratios.drdsafeVsBareSeccomp}x`.padStart(20)}  ${`${w.ratios.bareStraceVsUntraced}x`.padStart(15)}`,
    );
  }
  lines.push('', `with the probe calls traced too (branch exploration: ${PROBE_TRACED_SYSCALLS.join(', ')}):`);
  for (const w of result.workloads) {
    lines.push(`  ${w.workload.padEnd(42)} ${`${w.withProbes.medianMs.toFixed(1)} ms`.padStart(12)}  ${`${w.withProbes.vsDrdsafe}x`.padStart(6)} drdsafe's`);
  }
  const extra = Object.keys(result.scripts['fork-heavy'] ?? {}).filter((v) => !(VARIANTS as readonly string[]).includes(v) && v !== WITH_PROBES);
  if (extra.length > 0) {
    lines.push('', 'drdsafe strace with one option left out (median ms; fork-heavy, file-heavy):');
    for (const v of ['drdsafe', 'strace-seccomp', ...extra]) {
      lines.push(`  ${v.padEnd(28)} ${String(result.scripts['fork-heavy']?.[v]).padStart(9)} ${String(result.scripts['file-heavy']?.[v]).padStart(9)}`);
    }
  }
  const f = result.fixedCost;
  lines.push(
    '',
    `fixed cost per script (command start to report written): median ${f.medianMs} ms, max ${f.maxMs} ms (median phase ${f.medianPhaseMs} ms)`,
    `targets: drdsafe within 1.1x of bare seccomp-bpf; fixed cost under 1500 ms`,
  );
  return lines.join('\n');
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const repsArg = process.argv.indexOf('--reps');
  const reps = repsArg > 0 ? Number(process.argv[repsArg + 1]) : undefined;
  const result = await benchSandbox({
    ...(reps ? { reps } : {}),
    breakdown: process.argv.includes('--breakdown'),
    syntheticOnly: process.argv.includes('--synthetic-only'),
  });
  process.stdout.write(formatBench(result) + '\n');
  const outDir = path.join(PROJECT_ROOT, 'bench', 'out');
  await mkdir(outDir, { recursive: true });
  await writeFile(path.join(outDir, 'sandbox-bench.json'), JSON.stringify(result, null, 2) + '\n');
}
