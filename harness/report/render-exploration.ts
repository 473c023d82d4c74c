/**
 * Branch exploration and the DRD-guard proof as the text report shows them,
 * after coverage and before the verdict: each variant with what it changed,
 * its verdict and run directory; what was not explored and why; the lines
 * the DRD guard kept from running and the actions it avoided.
 */
import path from 'node:path';
import type { Report } from './report.js';
import type { Severity } from '../policy/finding.js';

const MAX_LISTED = 20;

function countsText(c: Readonly<Record<Severity, number>>): string {
  return `${c.error} error, ${c.warning} warning, ${c.info} info`;
}

/** `variants/2`: a run directory as the top one's reader finds it. */
export function runDirShown(report: Report, dir: string): string {
  const top = report.inputs.runDir;
  if (top === undefined) return dir;
  const rel = path.relative(top, dir);
  return rel === '' ? '.' : rel.startsWith('..') ? dir : rel;
}

export function explorationLines(report: Report): string[] {
  const e = report.exploration;
  if (e === undefined) return [];
  const ran = e.variants.filter((v) => v.ran).length;
  const probes = e.probes.filter((p) => p.run === 0).length;
  const outside = e.probes.filter((p) => p.run === -1).length;
  const later = e.probes.length - probes - outside;
  const more = [
    later > 0 ? `${later} more met by variants` : '',
    outside > 0 ? `${outside} met only outside DRD (made true for the comparison run)` : '',
  ].filter((x) => x !== '');
  const out = [
    `Exploration: ${probes} probe${probes === 1 ? '' : 's'} the first run lost${more.length > 0 ? ` (${more.join(', ')})` : ''}; ${ran} of ${e.variants.length} variant${e.variants.length === 1 ? '' : 's'} run (--explore ${e.explore})`,
  ];
  for (const v of e.variants) {
    out.push(`    ${v.when}`);
    if (v.ran) {
      const added = v.newFindings ?? 0;
      out.push(
        `        ${(v.verdict ?? 'safe').toUpperCase()} (${countsText(v.counts ?? { error: 0, warning: 0, info: 0 })}), ${added} finding${added === 1 ? '' : 's'} the first run did not have; run ${runDirShown(report, v.runDir)}`,
      );
    } else {
      out.push(`        NOT RUN: ${v.error ?? 'no reason recorded'}`);
    }
  }
  for (const n of e.notExplored.slice(0, MAX_LISTED)) out.push(`    not explored: ${n.subject}: ${n.reason}`);
  if (e.notExplored.length > MAX_LISTED) out.push(`    (${e.notExplored.length - MAX_LISTED} more not explored in report.json)`);
  if (e.stopped !== undefined) out.push(`    stopped: ${e.stopped}`);
  return out;
}

export function comparisonLines(report: Report): string[] {
  const c = report.comparison;
  if (c === undefined) return [];
  const where = runDirShown(report, c.runDir);
  if (!c.ran || c.error !== undefined)
    return [`Guard proof: no comparison run outside DRD (${c.error ?? 'it did not run'}); risky lines not run stay warned about`];
  const out = [`Guard proof: the comparison run outside DRD (SW_SESSION_IS_DRD unset, run ${where}; its findings never count)`];
  if (c.changes !== undefined)
    out.push(`    on the system with the probes made true (the product installed): ${c.changes.map((ch) => ch.condition).join(', ')}`);
  if (c.guarded.length === 0) out.push('    no risky line ran only outside DRD');
  for (const g of c.guarded.slice(0, MAX_LISTED)) {
    out.push(
      `    GUARDED line ${g.line}: ${g.text.trim()}${g.risk === undefined ? '' : ` (${g.risk})`}${g.traceLine === undefined ? '' : `, ran at ${where}/trace.txt:${g.traceLine}`}`,
    );
  }
  if (c.avoided.length === 0) out.push('    no unsafe action the runs under DRD did not also make');
  for (const a of c.avoided.slice(0, MAX_LISTED)) {
    const at = a.line === undefined ? '' : ` (line ${a.line}${a.traceLine === undefined ? '' : `, ${where}/trace.txt:${a.traceLine}`})`;
    out.push(`    avoided [${a.severity.toUpperCase()}] ${a.rule}: ${a.message}${at}`);
    if (a.confirmed !== undefined) out.push(`        confirmed ${a.confirmed}`);
  }
  if (c.avoided.length > MAX_LISTED) out.push(`    (${c.avoided.length - MAX_LISTED} more avoided actions in report.json)`);
  return out;
}
