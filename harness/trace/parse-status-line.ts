/**
 * The lines that are not calls: signal deliveries (`--- ... ---`), exits
 * (`+++ ... +++`) and strace's own messages (`strace: ...`).
 *
 * Real strace 6.1 forms:
 *   --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=4393, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---
 *   --- SIGTERM {si_signo=SIGTERM, si_code=SI_USER, si_pid=1 /* 4508 in strace's PID NS *\/, si_uid=0} ---
 *   --- SIGHUP {si_signo=SIGHUP, si_code=SI_KERNEL} ---      --- stopped by SIGSTOP ---
 *   +++ exited with 0 +++   +++ killed by SIGKILL +++   +++ killed by SIGSEGV (core dumped) +++
 *   +++ superseded by execve in pid 1234 +++
 *   strace: Process 17659 attached
 */
import { skipToTerminator } from './skip-value.js';
import type { ExitEvent, PidArg, SignalEvent, StraceMessageEvent } from './trace-event.js';
import type { Mutable } from '../mutable.js';

export type SignalBody = { readonly kind: 'signal' } & Pick<SignalEvent, 'signal' | 'info' | 'siPid' | 'stopped'>;
export type ExitBody = { readonly kind: 'exit' } & Pick<ExitEvent, 'code' | 'signal' | 'coreDumped' | 'supersededBy'>;
export type StraceBody = { readonly kind: 'strace' } & Pick<StraceMessageEvent, 'message' | 'action' | 'subject'>;

const PIDNS = /^(\d+) \/\* (\d+) in strace's PID NS \*\/$/;

/** After `--- `; undefined when the line does not end with ` ---`. */
export function parseSignalBody(raw: string, start: number): SignalBody | undefined {
  if (!raw.endsWith(' ---') || raw.length < start + 4) return undefined;
  const end = raw.length - 4;
  if (raw.startsWith('stopped by ', start)) {
    return { kind: 'signal', signal: raw.slice(start + 11, end), info: {}, stopped: true };
  }
  let i = start;
  while (i < end && raw.charCodeAt(i) !== 32) i++;
  const signal = raw.slice(start, i);
  if (signal.length === 0) return undefined;
  const result: Mutable<SignalBody> = { kind: 'signal', signal, info: {} };
  if (raw.charCodeAt(i + 1) !== 123 /* { */ || raw.charCodeAt(end - 1) !== 125 /* } */) return result;
  const info: Record<string, string> = {};
  const close = end - 1;
  i += 2;
  while (i < close) {
    const fieldEnd = skipToTerminator(raw, i, close);
    const eq = raw.indexOf('=', i);
    if (eq > i && eq < fieldEnd) {
      const key = raw.slice(i, eq);
      let value = raw.slice(eq + 1, fieldEnd);
      // `si_pid=1 /* 4508 in strace's PID NS */`: keep the tracee's number as text, both as a PidArg.
      if (value.endsWith('*/')) {
        const m = PIDNS.exec(value);
        if (m !== null) {
          value = m[1] as string;
          if (key === 'si_pid') result.siPid = { t: 'pid', value: Number(value), tracerValue: Number(m[2]) };
        }
      }
      info[key] = value;
      if (key === 'si_pid' && result.siPid === undefined) {
        const n = Number(value);
        if (Number.isInteger(n)) result.siPid = { t: 'pid', value: n } satisfies PidArg;
      }
    }
    i = fieldEnd + 1;
    while (i < close && raw.charCodeAt(i) === 32) i++;
  }
  result.info = info;
  return result;
}

/** After `+++ `; undefined when the line does not end with ` +++` or is not a known form. */
export function parseExitBody(raw: string, start: number): ExitBody | undefined {
  if (!raw.endsWith(' +++')) return undefined;
  const text = raw.slice(start, raw.length - 4);
  if (text.startsWith('exited with ')) {
    const code = Number(text.slice(12));
    return Number.isInteger(code) ? { kind: 'exit', code } : undefined;
  }
  if (text.startsWith('killed by ')) {
    const core = text.endsWith(' (core dumped)');
    const signal = text.slice(10, core ? text.length - 14 : text.length);
    if (signal.length === 0 || signal.includes(' ')) return undefined;
    return core ? { kind: 'exit', signal, coreDumped: true } : { kind: 'exit', signal };
  }
  if (text.startsWith('superseded by execve in pid ')) {
    const pid = Number(text.slice(28));
    return Number.isInteger(pid) ? { kind: 'exit', supersededBy: pid } : undefined;
  }
  return undefined;
}

const PROCESS_MESSAGE = /^Process (\d+) (attached|detached|suspended)\b/;

/** A whole `strace: ...` line (any text after `strace: ` is accepted). */
export function parseStraceMessage(raw: string): StraceBody {
  const message = raw.slice(8);
  const m = PROCESS_MESSAGE.exec(message);
  if (m === null) return { kind: 'strace', message, action: 'other' };
  return { kind: 'strace', message, action: m[2] as 'attached' | 'detached' | 'suspended', subject: Number(m[1]) };
}
