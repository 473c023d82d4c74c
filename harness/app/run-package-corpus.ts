/**
 * The package cases of `drdsafe corpus` (corpus/package-cases.ts): each
 * session runs as `drdsafe runcmd` runs it, from its package folder, one
 * container each, and its report is compared with what the case expects.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { CliIo } from './io.js';
import { InternalError } from '../errors.js';
import type { CaseOutcome } from '../corpus/check-case.js';
import { checkSession } from '../corpus/check-session.js';
import type { SessionCase } from '../corpus/package-cases.js';
import type { Report } from '../report/report.js';
import { DockerContainerClient } from '../engine/docker-container-client.js';
import { newSession } from '../engine/labels.js';
import { runRuncmd } from './run-runcmd.js';

export async function runSessionCases(
  cases: readonly SessionCase[],
  options: { readonly outRoot: string; readonly policyFiles: readonly string[]; readonly width: number },
  io: CliIo,
  progress: { readonly done: number; readonly total: number },
): Promise<CaseOutcome[]> {
  const client = new DockerContainerClient();
  const session = newSession();
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const outcomes: CaseOutcome[] = [];
  for (const [i, c] of cases.entries()) {
    io.signal.throwIfAborted();
    io.stderr.write(`corpus: [${progress.done + i + 1}/${progress.total}] ${c.name} (drd runcmd ${c.runcmd.join(' ')})\n`);
    const [command, ...args] = c.runcmd;
    const outDir = path.join(options.outRoot, c.name.replace(/\//g, '-'));
    const outcome = await runRuncmd(
      {
        command: command!,
        args,
        installed: c.installed,
        policyFiles: options.policyFiles,
        outDir,
        format: 'json',
        interactive: false,
        ...(c.bootPhase ? { bootPhase: true } : {}),
      },
      { io: { ...io, cwd: c.dir, stdout: quiet, stderr: quiet, interactive: false }, client, session, log: () => {} },
    );
    if (outcome.runDir === undefined) throw new InternalError(`the session ${c.name} ran nothing`);
    const report = JSON.parse(await readFile(path.join(outcome.runDir, 'report.json'), 'utf8')) as Report;
    const result = checkSession(c, report, outcome.exitCode);
    outcomes.push(result);
    io.stdout.write(
      `${result.ok ? 'ok  ' : 'FAIL'} ${c.name.padEnd(options.width)}  expected ${result.expected}, got ${result.got}${result.ok ? '' : `: ${result.problems.join('; ')}`}\n`,
    );
  }
  return outcomes;
}
