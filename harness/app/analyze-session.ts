/**
 * `drdsafe analyze` of a session directory, and the last step of a package
 * run: session.json read through the contract, every phase that ran judged
 * from its own run directory (its report.json written there, as for any
 * run, with the session's waivers of its own findings), then one report for
 * the session (report/session-report.ts) written at the top and printed.
 * Nothing is executed.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { displayPath } from '../display-path.js';
import { INACTIVE_DIR, SESSION_FILE, readSessionRecord } from '../contract/session-record.js';
import { besideReport, renderReport, writeReport } from '../report/write-report.js';
import { applyWaivers } from '../report/apply-waivers.js';
import { assembleSessionReport, type SessionPhase } from '../report/session-report.js';
import { resolveAnalyzeInput } from './analyze-input.js';
import type { AnalyzeOptions, AnalyzeOutcome } from './analyze-run.js';
import type { CliIo } from './io.js';
import { judgeAndWrite, loadAnalysisPolicy } from './judge-and-write.js';

/** Where the kept swagent.log is, relative to the session directory. */
export const SWAGENT_LOG_KEPT = `${INACTIVE_DIR}/var/adm/sw/swagent.log`;

export async function isSessionDir(dir: string): Promise<boolean> {
  return (await stat(path.join(dir, SESSION_FILE)).catch(() => undefined))?.isFile() === true;
}

export async function analyzeSessionDir(dir: string, options: AnalyzeOptions, io: CliIo): Promise<AnalyzeOutcome> {
  const analyzeStarted = Date.now();
  const record = await readSessionRecord(path.join(dir, SESSION_FILE));
  if (record === undefined) throw new UserError('INPUT_NOT_FOUND', `no ${SESSION_FILE} in ${dir}`);
  if (options.booted !== undefined || options.inactive !== undefined || options.shared !== undefined) {
    throw new UserError('USAGE', '--booted, --inactive and --shared do not apply to a session directory (each phase has its run.json)');
  }
  const policy = await loadAnalysisPolicy(options.policyFiles ?? [], io);
  const phases: SessionPhase[] = [];
  for (const step of record.steps) {
    if (step.runDir === undefined) {
      phases.push({ step });
      continue;
    }
    const runDir = path.join(dir, step.runDir);
    const present = (await stat(path.join(runDir, 'trace.txt')).catch(() => undefined))?.isFile() === true;
    if (!present) {
      phases.push({ step });
      continue;
    }
    const resolved = await resolveAnalyzeInput(runDir, {}, io);
    // Each phase's own report shows the session's waivers of its findings (its warnings are the session's, below).
    const waivers = options.waivers ? { waivers: options.waivers, waiversMatchedOnly: true, waiverWarnings: false } : {};
    phases.push({ step, report: await judgeAndWrite(resolved, policy, { ...(options.failOn ? { failOn: options.failOn } : {}), ...waivers }, io) });
  }
  const swagent = (await stat(path.join(dir, SWAGENT_LOG_KEPT)).catch(() => undefined))?.isFile() === true;
  const assembled = assembleSessionReport({
    record,
    phases,
    sessionDir: dir,
    policyFiles: policy.files,
    policy: policy.compiled,
    ...(options.failOn ? { failOn: options.failOn } : {}),
    analyzeStarted,
    ...(swagent ? { swagentLog: SWAGENT_LOG_KEPT } : {}),
  });
  // Waivers are applied to the session as a whole: each finding's fingerprint names its own phase's script.
  const waived = options.waivers === undefined ? undefined : applyWaivers(assembled, options.waivers, { ruleIds: policy.compiled.rules.map((r) => r.id) });
  const report = waived?.report ?? assembled;
  for (const w of waived?.warnings ?? []) {
    if (options.waiverWarnings !== false) io.stderr.write(`waiver warning: ${w.message}\n`);
  }
  const reportPath = options.reportPath ? path.resolve(io.cwd, options.reportPath) : path.join(dir, 'report.json');
  await writeReport(report, reportPath);
  if (options.print !== false) {
    io.stdout.write(renderReport(report, options.format, policy.compiled.rules, io.cwd));
    if (options.format === 'text')
      io.stderr.write(`report: ${displayPath(io.cwd, reportPath)}\npage: ${displayPath(io.cwd, besideReport(reportPath, '.html'))}\n`);
  }
  return { exitCode: report.summary.exitCode, report, reportPath };
}
