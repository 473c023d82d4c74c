/**
 * Whether a stored run traced what the policy judging it reads. A run traces
 * only the calls its policy needed (`--seccomp-bpf -e trace=SET`), so a
 * stricter policy applied later by `drdsafe analyze` would find nothing of
 * the calls it adds, and pass what it never saw. Such a run is a gap: the
 * verdict is indeterminate until the script runs again with that policy.
 */
import type { ModelGap } from '../model/model-event.js';
import { MODEL_REQUIRED_SYSCALLS, tracedSyscalls } from '../policy/traced-syscalls.js';
import type { Policy } from '../policy/policy.js';

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * The `-e trace=SET` (or `--trace=SET`) strace ran with, from its argv; undefined
 * when it traced every call. A set that is more than plain names (`%file`,
 * `!open`, a regex) is taken as every call too: drdsafe never writes one, and
 * what it holds is strace's to expand.
 */
export function tracedSetOf(argv: readonly string[]): ReadonlySet<string> | undefined {
  let set: string | undefined;
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const a = argv[i]!;
    if (a.startsWith('--trace=')) set = a.slice('--trace='.length);
    // `-e EXPR`, `-eEXPR`, `--expr EXPR`, `--expr=EXPR`: only the trace qualifier matters.
    const expr = a === '-e' || a === '--expr' ? argv[++i] : a.startsWith('--expr=') ? a.slice('--expr='.length) : a.startsWith('-e') ? a.slice(2) : undefined;
    const m = expr === undefined ? null : /^(?:trace|t)=(.*)$/.exec(expr);
    if (m) set = m[1];
  }
  if (set === undefined) return undefined;
  const names = set.split(',');
  return names.every((n) => NAME.test(n)) ? new Set(names) : undefined;
}

/** The gap of a run whose traced set lacks calls `policy` (and the model) read; none when it has them all. */
export function coverageGaps(straceArgv: readonly string[] | undefined, policy: Policy): ModelGap[] {
  if (straceArgv === undefined) return [];
  const traced = tracedSetOf(straceArgv);
  if (traced === undefined) return [];
  const missing = [...new Set([...tracedSyscalls(policy), ...MODEL_REQUIRED_SYSCALLS])].filter((s) => !traced.has(s)).sort();
  if (missing.length === 0) return [];
  const named = missing.length > 12 ? `${missing.slice(0, 12).join(', ')} and ${missing.length - 12} more` : missing.join(', ');
  return [
    {
      kind: 'untraced-syscalls',
      message: `this run traced only the calls its own policy needed; the policy now judging it also reads ${named}: run the script again with this policy (\`drdsafe run --policy ...\`) for a verdict`,
    },
  ];
}
