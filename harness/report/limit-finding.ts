/**
 * A run the sandbox had to stop (phase timeout, pids, memory, disk, trace or
 * output size) gets a finding that says which limit was hit, tied to the last
 * trace line, besides the `unfinished-run` gap that keeps the verdict from
 * passing as safe.
 */
import { open } from 'node:fs/promises';
import type { CallFinding } from '../policy/finding.js';
import type { ModelEvent, ProcessInfo } from '../model/model-event.js';
import type { Phase } from '../contract/run-metadata.js';

const LIMIT_TEXT: Readonly<Record<string, string>> = {
  timeout: 'the phase ran past its time limit (an endless loop, or a wait that never ends)',
  pids: 'the script started more processes than the sandbox allows (a fork bomb)',
  memory: 'the script used more memory than the sandbox allows',
  disk: 'the script filled the inactive image',
  'trace-size': 'the trace grew past its size limit',
  'output-size': 'the script wrote more output than the sandbox keeps',
  tracer:
    "strace stopped making progress (its tracees outlived SIGKILL in their ptrace stops, or it did not end once the jail was empty) and was killed; result.json's strace.stuck says what it still traced, and the trace it wrote up to then is analysed",
};

/** The last line of a file, read from its end whatever its size; `lines` is the count the parser made. */
async function lastLine(file: string, lines: number): Promise<{ line: string; number: number } | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    const text = buf
      .toString('latin1')
      .split('\n')
      .filter((l) => l !== '')
      .at(-1);
    if (text === undefined) return undefined;
    return { line: text, number: lines };
  } finally {
    await handle.close();
  }
}

export async function limitFinding(
  limit: string,
  tracePath: string,
  traceLines: number,
  script: { readonly pid?: number; readonly argv: readonly string[]; readonly phase?: Phase },
): Promise<CallFinding> {
  const last = await lastLine(tracePath, traceLines);
  const process: ProcessInfo = {
    pid: script.pid ?? 0,
    argv: script.argv,
    origin: 'runcmd',
    root: '',
    ancestry: script.pid !== undefined ? [script.pid] : [],
    ancestryArgv: [script.argv],
  };
  const detail: ModelEvent = {
    seq: -1,
    class: 'process-exit',
    syscall: 'exit',
    ok: true,
    line: last?.number ?? 0,
    raw: last?.line ?? '',
    process,
    ...(script.phase ? { phase: script.phase } : {}),
    exit: { signal: 'SIGKILL', outlivedScript: false },
  };
  return {
    rule: 'run-limit',
    severity: 'warning',
    title: 'The sandbox stopped the run at a limit',
    message: `stopped at the ${limit} limit: ${LIMIT_TEXT[limit] ?? 'a sandbox limit was reached'}; what the script would have done after that is unknown`,
    reference: 'DRD-Safe Concepts 3.2',
    ...(script.phase ? { phase: script.phase } : {}),
    event: { seq: -1, syscall: 'exit', line: detail.line, raw: detail.raw, ok: true },
    process,
    target: `limit ${limit}`,
    detail,
  };
}
