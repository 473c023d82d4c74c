/**
 * The text report's session parts: what ran (operation, package, what was
 * installed before), every step of the plan with its outcome and why, and
 * each script's coverage line. render-text.ts shows them around the
 * findings, which name their phase.
 */
import { coverageSummaryLines } from '../coverage/render-coverage.js';
import type { PhaseRecord, Report } from './report.js';

function owner(p: PhaseRecord): string {
  return p.fileset === undefined ? (p.product ?? '') : `${p.product ?? ''}.${p.fileset}`;
}

/** The head of a session report: the session, then one line per step. */
export function sessionHeadLines(report: Report): string[] {
  const s = report.session;
  if (s === undefined) return [];
  const out: string[] = [];
  const what = s.command !== undefined ? `drd runcmd ${s.command.join(' ')}` : `${s.operation} of ${s.package.path}`;
  out.push(`Session: ${what} (${s.operation}, ${s.runcmd ? 'under drd runcmd' : 'on /'}); SD result ${s.status}, exit ${s.exitCode}`);
  for (const b of s.baseline)
    out.push(`    installed before: ${b.products.map((p) => `${p.tag} ${p.revision ?? ''}`.trim()).join(', ')} (${b.path}): ${b.why}`);
  for (const d of s.standIns) out.push(`    stand-in daemon ${d.name} (${d.pidFile}) ${d.running ? 'running' : 'NOT running'}: ${d.why}`);
  for (const r of s.refused) out.push(`    refused ${r.key}: ${r.why}`);
  if (s.globalError !== undefined) out.push(`    ${s.globalError}: nothing is installed`);
  if (s.rebootRequested.length > 0)
    out.push(`    reboot asked for by ${s.rebootRequested.join(', ')}${s.rebootSuppressed ? ': suppressed by drd runcmd' : ''}`);
  for (const n of s.notes) out.push(`    note: ${n}`);
  if (s.failure !== undefined) out.push(`    SANDBOX FAILURE: ${s.failure}`);
  out.push('', 'Phases:');
  for (const p of report.phases) {
    const exit = p.exitCode === undefined ? '' : ` exit ${p.exitCode ?? p.signal ?? 'none'}`;
    const verdict = p.verdict === undefined ? '' : ` ${p.verdict.toUpperCase()}`;
    // What SD made of a script's exit code is worth a word only when it was not plain success.
    const said = p.outcome === 'ran' && p.result === 'success' ? undefined : p.why;
    const why = said === undefined ? (p.detail === undefined ? '' : `: ${p.detail}`) : `: ${said}`;
    out.push(`    ${(p.outcome ?? '').padEnd(8)} ${`${p.name ?? ''} ${owner(p)}`.padEnd(44)}${exit}${verdict}${why}`);
  }
  if (s.swagentLog !== undefined) out.push(`    (the inactive image's swagent.log: ${s.swagentLog})`);
  return out;
}

/** Each script's coverage, one block per phase that ran. */
export function sessionCoverageLines(report: Report): string[] {
  const out: string[] = [];
  for (const p of report.phases) {
    if (p.coverage === undefined) continue;
    const [first = '', ...rest] = coverageSummaryLines(p.coverage);
    out.push(`${first.replace(/^Coverage:/, `Coverage of ${p.name ?? ''} ${owner(p)}:`)}`, ...rest);
  }
  return out;
}
