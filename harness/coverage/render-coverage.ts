/**
 * Coverage as the text report and SARIF show it: the one-line count near
 * the verdict, then the risky lines that did not run (and those whose run
 * cannot be told) with why.
 */
import type { ScriptCoverage } from './script-coverage.js';

const MAX_LISTED = 20;

export function coverageSummaryLines(c: ScriptCoverage): string[] {
  if (!c.available) return [`Coverage: unknown (${c.reason ?? 'no script parse'}): which lines ran is not shown`];
  const unknown = c.unknownLines > 0 ? `; ${c.unknownLines} line${c.unknownLines === 1 ? '' : 's'} the shell did not trace (run unknown)` : '';
  const over = c.runs !== undefined && c.runs > 1 ? ` (in any of ${c.runs} runs: the first and ${c.runs - 1} variant${c.runs === 2 ? '' : 's'})` : '';
  const guarded =
    c.riskyGuarded !== undefined && c.riskyGuarded > 0 ? `; ${c.riskyGuarded} risky line${c.riskyGuarded === 1 ? '' : 's'} guarded (ran only outside DRD)` : '';
  const out = [
    `Coverage: ${c.ranLines} of ${c.commandLines} command lines ran${over}; ${c.riskyNotRun} risky line${c.riskyNotRun === 1 ? '' : 's'} not run${guarded}${unknown}`,
  ];
  const risky = c.lines.filter((l) => l.risky && l.ran !== true);
  for (const l of risky.slice(0, MAX_LISTED)) {
    const state = l.guarded === true ? 'GUARDED' : l.ran === false ? 'NOT RUN' : 'UNKNOWN';
    out.push(`    ${state} line ${l.line}: ${l.text.trim()}${l.risk === undefined ? '' : ` (${l.risk})`}`);
    if (l.why !== undefined) out.push(`        ${l.why}`);
  }
  if (risky.length > MAX_LISTED) out.push(`    (${risky.length - MAX_LISTED} more in report.json)`);
  return out;
}

/** The counts SARIF carries in its run's properties. */
export function coverageCounts(c: ScriptCoverage): Record<string, number | boolean | string> {
  return {
    available: c.available,
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    commandLines: c.commandLines,
    ranLines: c.ranLines,
    unknownLines: c.unknownLines,
    riskyLines: c.riskyLines,
    riskyNotRun: c.riskyNotRun,
    riskyUnknown: c.riskyUnknown,
    ...(c.riskyGuarded !== undefined ? { riskyGuarded: c.riskyGuarded } : {}),
    ...(c.runs !== undefined ? { runs: c.runs } : {}),
  };
}
