/**
 * The typed boundary between the strace text parser and everything after it.
 *
 * One `TraceEvent` is one logical strace record: a syscall (with an
 * `<unfinished ...>` / `<... resumed>` pair merged into one), a signal
 * delivery, a process exit or kill, or a message from strace itself.
 * Every event keeps the trace line number(s) and raw text it came from, so a
 * finding can always quote its evidence.
 */

/** A C string argument as strace printed it, with escapes decoded. */
export interface StringArg {
  readonly t: 'str';
  /** Decoded value (escapes such as `\n`, `\x41`, `\101` resolved; bytes mapped 1:1 to code points 0-255). */
  readonly value: string;
  /** strace cut the string (`"..."...`): the real value is longer than `value`. */
  readonly truncated: boolean;
  /** An abstract unix socket name printed as `@"name"`; `value` then starts with `@`. */
  readonly abstract?: boolean;
}

/** A number; `text` keeps the spelling (hex, octal) and `value` the number when it fits. */
export interface NumberArg {
  readonly t: 'num';
  readonly value: number;
  readonly text: string;
}

/** A file descriptor with strace's `-y`/`-yy` decoration, e.g. `3</etc/motd>` or `4<UNIX:[123->456,"/dev/log"]>`. */
export interface FdArg {
  readonly t: 'fd';
  /** The fd number; `AT_FDCWD` is -100. */
  readonly fd: number;
  readonly decoration: FdDecoration;
}

/** `O_WRONLY|O_CREAT|0x800`: symbolic names and raw numbers joined with `|`. */
export interface FlagsArg {
  readonly t: 'flags';
  readonly names: readonly string[];
}

export interface ArrayArg {
  readonly t: 'array';
  readonly items: readonly TraceArg[];
  /** strace elided the rest (`...` as the last element). */
  readonly truncated: boolean;
}

export interface StructArg {
  readonly t: 'struct';
  /** Named fields in order; unnamed elements get the key `#<index>`. */
  readonly fields: readonly (readonly [string, TraceArg])[];
  readonly truncated: boolean;
}

/** `NULL`. */
export interface NullArg {
  readonly t: 'null';
}

/**
 * Anything the parser keeps as text without deeper structure: a symbolic
 * constant (`SIGKILL`, `AF_UNIX`, `SOCK_STREAM`), a call inside args
 * (`makedev(0x1, 0x3)`, `htons(2121)`, `inet_addr("127.0.0.1")`), a pointer
 * (`0x7ffd...`), `~[]`, etc. `name` is the leading identifier when there is one.
 */
export interface OtherArg {
  readonly t: 'other';
  readonly text: string;
  readonly name?: string;
  /** For `name(args)` forms such as `htons(2121)` or `inet_addr("127.0.0.1")`. */
  readonly callArgs?: readonly TraceArg[];
}

/** A pid argument of kill/tkill/tgkill/pidfd_open/... with its `--decode-pids=pidns` translation. */
export interface PidArg {
  readonly t: 'pid';
  /** The pid as the tracee wrote it (its own PID namespace). */
  readonly value: number;
  /** With `--decode-pids=pidns`: the same pid in strace's namespace (`57 /* 1234 in strace's PID NS *\/`). */
  readonly tracerValue?: number;
}

export type TraceArg = StringArg | NumberArg | FdArg | FlagsArg | ArrayArg | StructArg | NullArg | OtherArg | PidArg;

/** What `-y` / `-yy` printed after an fd. */
export type FdDecoration =
  | { readonly kind: 'none' }
  /** A real path as seen by strace (outside any chroot). `deleted` when strace printed `(deleted)`. */
  | {
      readonly kind: 'path';
      readonly path: string;
      readonly deleted?: boolean;
      /** `-yy` device numbers of a device file, e.g. `char 1:3` for `/dev/null<char 1:3>`. */
      readonly device?: string;
    }
  | { readonly kind: 'socket'; readonly socket: SocketDecoration }
  /** `pipe:[123]`, `anon_inode:[eventfd]`, `socket:[123]` without -yy detail, and the like. */
  | { readonly kind: 'other'; readonly text: string };

export type SocketProtocol =
  'UNIX' | 'UNIX-STREAM' | 'UNIX-DGRAM' | 'UNIX-SEQPACKET' | 'TCP' | 'TCPv6' | 'UDP' | 'UDPv6' | 'NETLINK' | 'UDPLITE' | 'RAW' | 'OTHER';

/** `-yy` socket detail, e.g. `UNIX-STREAM:[123->456,"/dev/log"]` or `TCP:[127.0.0.1:40000->127.0.0.1:2121]`. */
export interface SocketDecoration {
  readonly protocol: SocketProtocol;
  /** The protocol word exactly as printed (`UNIX-STREAM`, `NETLINK`, ...). */
  readonly protocolText: string;
  /** Inode of this socket, when printed (`[123]` or `[123->456]`). */
  readonly inode?: number;
  /** Inode of the peer for connected unix sockets. */
  readonly peerInode?: number;
  /** Bound or peer path for unix sockets; abstract names start with `@`. */
  readonly path?: string;
  /** `address:port` pairs for inet sockets. */
  readonly local?: string;
  readonly remote?: string;
  /** The raw text inside `<...>`. */
  readonly text: string;
}

/** The part after `= `. */
export interface ReturnValue {
  /** Numeric value; null for `?` (the call never returned, e.g. execve in a dying process or exit). */
  readonly value: number | null;
  /** The text as printed (`0x7f...`, `3</path>`, `-1`). */
  readonly text: string;
  /** `ENOENT` etc. when the call failed. */
  readonly errno?: string;
  /** `No such file or directory`. */
  readonly errnoText?: string;
  /** Decoration of a returned fd (`= 3</etc/motd>`). */
  readonly decoration?: FdDecoration;
  /** Trailing strace annotations, e.g. `(Timeout)`, `[{WIFEXITED(s) && ...}]`, `(flags O_RDWR)`. */
  readonly annotation?: string;
  /**
   * With `--decode-pids=pidns`: a returned pid translated to strace's namespace
   * (`clone(...) = 3 /* 1234 in strace's PID NS *\/` gives `value` 3, `tracerValue` 1234).
   */
  readonly tracerValue?: number;
}

interface EventBase {
  /** 1-based line number of the (first) trace line. */
  readonly line: number;
  /** Line number of the `<... resumed>` line when the event was merged from two lines. */
  readonly endLine?: number;
  /** Raw text of the line(s), joined with `\n` when merged. */
  readonly raw: string;
  /** Pid in strace's namespace (the `[pid N]` prefix or the `-ff` file suffix, else the first traced pid). */
  readonly pid: number;
  /** Seconds since the epoch (`-ttt`), or seconds since midnight (`-tt`/`-t`); absent without timestamps. */
  readonly time?: number;
}

export interface SyscallEvent extends EventBase {
  readonly kind: 'syscall';
  readonly name: string;
  /**
   * The parser's events type these on first read (`args`, `argNames` and
   * `argsIncomplete` are getters of `ParsedSyscall`): an object spread does not
   * copy them; use `plainSyscall(event)` for a plain copy.
   */
  readonly args: readonly TraceArg[];
  /** The argument text between the parentheses, as printed (merged for resumed calls). */
  readonly argsText: string;
  readonly ret: ReturnValue;
  /** `-T` duration in seconds. */
  readonly duration?: number;
  /**
   * The call never completed in the trace: an `<unfinished ...>` with no resume
   * (the process died or the trace ended). `ret.value` is null then.
   */
  readonly unfinished?: boolean;
  /** Arguments could not all be parsed; `argsText` still holds the text. */
  readonly argsIncomplete?: boolean;
  /**
   * Names of `name=value` arguments by position (clone prints `child_stack=NULL, flags=...`);
   * present only when at least one argument is named. `args` holds the values.
   */
  readonly argNames?: readonly (string | undefined)[];
}

export interface SignalEvent extends EventBase {
  readonly kind: 'signal';
  /** `SIGHUP` etc. */
  readonly signal: string;
  /** siginfo fields (`si_signo`, `si_code`, `si_pid`, `si_uid`, `si_status`...) as text. */
  readonly info: Readonly<Record<string, string>>;
  /** `si_pid` as a pid, with its `--decode-pids=pidns` translation when printed. */
  readonly siPid?: PidArg;
  /** `--- stopped by SIGSTOP ---`: the process stopped (no siginfo). */
  readonly stopped?: boolean;
}

export interface ExitEvent extends EventBase {
  readonly kind: 'exit';
  /** `+++ exited with N +++` */
  readonly code?: number;
  /** `+++ killed by SIGxxx +++` */
  readonly signal?: string;
  readonly coreDumped?: boolean;
  /** `+++ superseded by execve in pid N +++`: a thread of this process called execve and took its place. */
  readonly supersededBy?: number;
}

/** `strace: Process N attached`, `strace: Process N detached`, and any other `strace:` line. */
export interface StraceMessageEvent extends EventBase {
  readonly kind: 'strace';
  readonly message: string;
  /** For attach/detach messages. */
  readonly action?: 'attached' | 'detached' | 'suspended' | 'other';
  readonly subject?: number;
}

/**
 * The data of a call as strace's hex dump printed it after the call's line
 * (`-e write=2` dumps what is written to fd 2; drdsafe reads the shell's
 * xtrace from it). `line`..`endLine` are the dump lines; the pid is the call's.
 */
export interface DumpEvent extends EventBase {
  readonly kind: 'dump';
  /** The call whose data it is (`write`, `writev`, `sendto`, ...). */
  readonly call: string;
  /** The bytes, one char per byte (latin1), exact (read from the hex column). */
  readonly data: string;
  /** Only the first `MAX_DUMP_BYTES` (about 16 KiB) of the data are kept; the rest was checked, not kept. */
  readonly truncated?: boolean;
}

export type TraceEvent = SyscallEvent | SignalEvent | ExitEvent | StraceMessageEvent | DumpEvent;

/** A line the parser could not read. Never dropped: the verdict becomes `indeterminate`. */
export interface TraceParseIssue {
  readonly line: number;
  readonly raw: string;
  readonly message: string;
  /** The file the line came from, when known. */
  readonly file?: string;
}

/** Totals the parser reports after the last line. */
export interface TraceParseSummary {
  readonly lines: number;
  readonly bytes: number;
  readonly events: number;
  /** Lines of calls the consumer does not read (`ParseTraceOptions.syscalls`): checked and counted, not delivered. */
  readonly skipped: number;
  readonly issues: number;
  /** Unfinished calls never resumed (by pid), e.g. the trace was cut or the process was killed. */
  readonly unresumed: number;
  /** The last line had no newline (the trace was cut mid-line). */
  readonly truncatedTail: boolean;
}
