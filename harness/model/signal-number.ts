/**
 * Linux signal names and numbers (x86-64 / generic numbering), so a signal
 * argument keeps a numeric value whichever way strace printed it.
 */
import type { TraceArg } from '../trace/trace-event.js';

const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGIOT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPOLL: 29,
  SIGPWR: 30,
  SIGSYS: 31,
  SIGRTMIN: 32,
  SIGRTMAX: 64,
};

const NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, n] of Object.entries(SIGNALS)) names[n] ??= name;
  return names;
})();

export interface SignalValue {
  readonly name: string;
  /** `0` is the existence probe (`kill -0`). `-1` when the name is unknown. */
  readonly number: number;
}

/** A signal number from its name (`SIGTERM`, `SIGRT_3`, `SIGRTMIN+1`, `15`). */
export function signalNumber(name: string): number {
  const known = SIGNALS[name];
  if (known !== undefined) return known;
  // strace prints real-time signals as SIGRT_<n> counted from the kernel's SIGRTMIN (32).
  const rt = /^SIGRT_(\d+)$/.exec(name) ?? /^SIGRTMIN\+(\d+)$/.exec(name);
  if (rt) return 32 + Number(rt[1]);
  const n = Number(name);
  return Number.isInteger(n) ? n : -1;
}

export function signalName(n: number): string {
  if (n === 0) return '0';
  const name = NAMES[n];
  if (name !== undefined) return name;
  if (n > 32 && n < 64) return `SIGRT_${n - 32}`;
  return String(n);
}

/** The signal a syscall argument names. */
export function signalArg(arg: TraceArg | undefined): SignalValue | undefined {
  if (arg === undefined) return undefined;
  if (arg.t === 'num' || arg.t === 'pid') return { name: signalName(arg.value), number: arg.value };
  let text: string | undefined;
  if (arg.t === 'other') text = arg.name ?? arg.text;
  else if (arg.t === 'flags') text = arg.names[0];
  if (text === undefined) return undefined;
  const number = signalNumber(text);
  return { name: number >= 0 && /^\d+$/.test(text) ? signalName(number) : text, number };
}
