/**
 * Ground truth from the sandbox, set beside the trace findings: what the
 * booted system actually experienced (witness log of signals and requests its
 * daemons received, daemon liveness, a content-hash diff of the booted tree).
 * A finding the witness backs is *confirmed*; evidence no finding explains is
 * *unexplained*, and an unexplained change never lets a run pass as safe.
 *
 * Which evidence a finding is held against follows its event's class (a file
 * change on the booted or a shared tree: the booted diff; a signal, request,
 * IPC call or process change: the witness; a process left running: the
 * sandbox's leftovers), or the rule's `confirm:` in the policy. Never the rule
 * id: a renamed or user-written rule is confirmed as the built-in one is.
 */
import type { BootedDiff } from '../contract/booted-diff.js';
import type { DaemonState } from '../contract/daemon-state.js';
import type { WitnessEvent, WitnessLog } from '../contract/witness.js';
import type { CallFinding, Finding } from '../policy/finding.js';
import { DIFFED_TREES, type GroundEvidence } from '../model/event-classes/ground-evidence.js';
import { confirmedBy } from '../model/event-classes/event-classes.js';

export interface Confirmation {
  /** Index into the report's findings. */
  readonly finding: number;
  readonly rule: string;
  readonly evidence: string;
}

export interface Unexplained {
  readonly kind: 'booted-change' | 'witness-event' | 'daemon-died' | 'daemon-changed';
  readonly detail: string;
}

export interface GroundTruth {
  readonly bootedDiff: BootedDiff;
  readonly daemons: readonly DaemonState[];
  /** Signals and requests the booted daemons received (their own start/exit lines left out). */
  readonly witness: readonly WitnessEvent[];
  readonly confirmations: readonly Confirmation[];
  readonly unexplained: readonly Unexplained[];
  /** Witness lines that were not valid JSON (the witness itself is then incomplete). */
  readonly witnessIssues: readonly string[];
}

export interface GroundTruthInput {
  /** witness.jsonl, read through the contract. */
  readonly witness: WitnessLog;
  readonly bootedDiff: BootedDiff;
  readonly daemons: readonly DaemonState[];
  /** The booted tree root and shared mounts, to map finding paths onto diff entries. */
  readonly bootedRoot: string;
  readonly sharedMounts: readonly { readonly inactivePath: string; readonly bootedPath: string }[];
  /** Processes the sandbox found still running in the jail when the script ended (strace-namespace pids). */
  readonly leftovers?: readonly { readonly pid: number; readonly argv?: readonly string[] }[];
  /** Rules whose `confirm:` names their evidence (rule id -> evidence); the others go by their event's class. */
  readonly confirm?: ReadonlyMap<string, GroundEvidence>;
}

const SCHED_KEYS = ['nice', 'policy', 'rtPriority', 'cpus', 'ioPriority'] as const;

/** What changed in a daemon's scheduling state and limits, e.g. `nice 0 -> 10`; empty when nothing did or one side is missing. */
export function schedChanges(d: DaemonState): string[] {
  const before = d.schedBefore;
  const after = d.schedAfter;
  if (before === undefined || after === undefined) return [];
  const out: string[] = [];
  for (const key of SCHED_KEYS) if (before[key] !== after[key]) out.push(`${key} ${String(before[key])} -> ${String(after[key])}`);
  for (const name of new Set([...Object.keys(before.limits), ...Object.keys(after.limits)])) {
    if (before.limits[name] !== after.limits[name]) out.push(`${name} ${before.limits[name] ?? '?'} -> ${after.limits[name] ?? '?'}`);
  }
  return out;
}

/** What a daemon's witness line says happened to it: `got SIGTERM`, `got request "stop"`, `had msg:0x434f4d53 removed`. */
function witnessed(w: WitnessEvent): string {
  if (w.event === 'signal') return `got ${w.signal ?? 'a signal'}`;
  if (w.event === 'ipc-removed') return `had ${w.endpoint ?? 'an IPC object'} removed`;
  return `got request ${JSON.stringify(w.data ?? '')}`;
}

/** Which daemons a finding acts on (by name), from its normalised event. */
function daemonsTouched(f: CallFinding, daemons: readonly DaemonState[]): Set<string> | 'all' {
  const out = new Set<string>();
  const sig = f.detail.signal ?? f.detail.change;
  if (sig) {
    const t = sig.target;
    if (t.kind === 'all' || (t.kind === 'group' && t.containsOutside)) return 'all';
    if (t.kind === 'process') {
      if (t.name) out.add(t.name);
      for (const d of daemons) if (d.nsPid === t.nsPid || (t.pid !== undefined && d.pid === t.pid)) out.add(d.name);
    }
  }
  const server = f.detail.socket?.endpoint.server ?? f.detail.ipc?.server;
  if (server) out.add(server);
  if (f.detail.class === 'exec' || f.detail.class === 'serve') {
    // An init script named after a daemon (`/sbin/init.d/comsec stop`) acts on
    // that daemon; so does a second copy of the daemon serving its address.
    const exe = f.detail.exec?.path ?? f.process.exe ?? f.process.argv[0] ?? '';
    const base = exe.slice(exe.lastIndexOf('/') + 1);
    for (const d of daemons) if (d.name === base) out.add(d.name);
  }
  return out;
}

function relativeToBooted(real: string, input: GroundTruthInput): string | undefined {
  for (const m of input.sharedMounts) {
    if (real === m.inactivePath || real.startsWith(m.inactivePath + '/')) real = m.bootedPath + real.slice(m.inactivePath.length);
  }
  const root = input.bootedRoot.replace(/\/+$/, '');
  if (real === root) return '/';
  if (real.startsWith(root + '/')) return real.slice(root.length);
  return undefined;
}

export function correlateGroundTruth(findings: readonly Finding[], input: GroundTruthInput): GroundTruth {
  const parsed = input.witness;
  // `ipc-removed`: a daemon's IPC object (its `endpoint`) was removed under it.
  const witness = parsed.events.filter((e) => e.event === 'signal' || e.event === 'request' || e.event === 'ipc-removed');
  const confirmations: Confirmation[] = [];
  const explainedWitness = new Set<WitnessEvent>();
  const explainedDaemons = new Set<string>();
  const explainedPaths = new Set<string>();
  let actedOnDaemons = false;

  findings.forEach((f, index) => {
    // A finding on a script line that never ran acted on nothing: it confirms and explains nothing.
    if (f.event === undefined) return;
    const evidence: string[] = [];
    const by = input.confirm?.get(f.rule) ?? confirmedBy(f.detail);
    if (by === 'booted-diff') {
      const fs = f.detail.fs?.target;
      for (const path of [fs, fs?.second]) {
        const rel = path !== undefined && DIFFED_TREES.has(path.tree) ? relativeToBooted(path.real, input) : undefined;
        if (!rel) continue;
        explainedPaths.add(rel);
        const kind = input.bootedDiff.added.includes(rel)
          ? 'added'
          : input.bootedDiff.modified.includes(rel)
            ? 'modified'
            : input.bootedDiff.deleted.includes(rel)
              ? 'deleted'
              : undefined;
        if (kind) evidence.push(`booted tree: ${rel} ${kind}`);
      }
    }
    if (by === 'leftovers') {
      const left = input.leftovers?.find((l) => l.pid === f.process.pid);
      if (left) evidence.push(`the sandbox found pid ${left.pid} (${(left.argv ?? f.process.argv).join(' ')}) still running when the script ended`);
    }
    if (by === 'witness') {
      const touched = daemonsTouched(f, input.daemons);
      const hits = (name: string): boolean => touched === 'all' || touched.has(name);
      const target = (f.detail.signal ?? f.detail.change)?.target;
      const targetNsPid = target?.kind === 'process' ? target.nsPid : undefined;
      for (const w of witness) {
        // The witness names the receiving daemon and its own pid: either identifies the target.
        if (!hits(w.daemon) && !(targetNsPid !== undefined && w.pid === targetNsPid && w.event === 'signal')) continue;
        explainedWitness.add(w);
        evidence.push(
          `witness.jsonl:${w.line}: ${w.daemon} ${witnessed(w)}${
            w.senderPid !== undefined ? ` from pid ${w.senderPid}` : w.peerPid !== undefined ? ` from pid ${w.peerPid}` : ''
          }`,
        );
      }
      for (const d of input.daemons) {
        if (!hits(d.name)) continue;
        explainedDaemons.add(d.name);
        if (d.aliveBefore !== false && d.aliveAfter === false) evidence.push(`${d.name} is no longer running`);
        const changed = schedChanges(d);
        if (changed.length > 0) evidence.push(`${d.name}: ${changed.join(', ')}`);
      }
      if (f.severity === 'error' && (touched === 'all' || touched.size > 0)) actedOnDaemons = true;
    }
    if (evidence.length > 0) confirmations.push({ finding: index, rule: f.rule, evidence: evidence.join('; ') });
  });

  const unexplained: Unexplained[] = [];
  for (const w of witness) {
    if (explainedWitness.has(w)) continue;
    unexplained.push({
      kind: 'witness-event',
      detail: `witness.jsonl:${w.line}: ${w.daemon} ${w.event === 'request' ? `got request on ${w.endpoint ?? '?'}` : witnessed(w)} that no finding explains`,
    });
  }
  for (const d of input.daemons) {
    if (d.aliveBefore !== false && d.aliveAfter === false && !explainedDaemons.has(d.name)) {
      unexplained.push({ kind: 'daemon-died', detail: `${d.name} stopped running during the phase and no finding explains it` });
    }
  }
  for (const d of input.daemons) {
    const changed = schedChanges(d);
    if (changed.length > 0 && !explainedDaemons.has(d.name)) {
      unexplained.push({ kind: 'daemon-changed', detail: `${d.name}: ${changed.join(', ')} during the phase and no finding explains it` });
    }
  }
  const diffEntries: [string, string][] = [
    ...input.bootedDiff.added.map((p): [string, string] => [p, 'added']),
    ...input.bootedDiff.modified.map((p): [string, string] => [p, 'modified']),
    ...input.bootedDiff.deleted.map((p): [string, string] => [p, 'deleted']),
  ];
  for (const [p, kind] of diffEntries) {
    // A daemon that a finding stopped or talked to may rewrite its own files
    // (a pid file removed on exit): that change is the finding's consequence.
    if (explainedPaths.has(p) || actedOnDaemons) continue;
    unexplained.push({ kind: 'booted-change', detail: `booted tree: ${p} ${kind} and no finding explains it` });
  }
  return {
    bootedDiff: input.bootedDiff,
    daemons: input.daemons,
    witness,
    confirmations,
    unexplained,
    witnessIssues: parsed.issues,
  };
}
