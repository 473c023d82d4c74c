/**
 * Joins strace's hex dump lines (`-e write=FD`) into one `DumpEvent` per
 * call. strace prints a call's dump when the call returns, right after its
 * line (a complete call or a `<... resumed>` tail) and before anything else,
 * so the lines that follow a call line are its data; any other line ends it.
 * One event per call, not per 16-byte line, lets a consumer read the data
 * the way it reads a decoded string argument, at a cost that follows the
 * data's size.
 */
import type { DumpRecord } from './parse-line.js';
import type { DumpEvent } from './trace-event.js';
import type { Mutable } from '../mutable.js';

/**
 * Bytes of one call's data kept in its event; the rest of its lines are still
 * checked, and the event says `truncated`. Bounds memory whatever the script
 * writes (xtrace lines are short; a script can write megabytes to stderr).
 */
export const MAX_DUMP_BYTES = 16 * 1024;

interface Target {
  pid: number;
  name: string;
  /** False for a call the consumer does not read: its dump is checked, not kept. */
  read: boolean;
  /** Bytes shown so far (the next line's offset). */
  bytes: number;
}

export interface DumpLineOutcome {
  readonly problem?: string;
  readonly skipped?: boolean;
}

const KEPT_LINE: DumpLineOutcome = {};
const SKIPPED_LINE: DumpLineOutcome = { skipped: true };

export class CallDumps {
  /** One object, refilled for every call line (the hot path allocates nothing here). */
  private readonly target: Target = { pid: 0, name: '', read: false, bytes: 0 };
  /** `target` is the call just before: no other line came since. */
  private armed = false;
  private pending: Mutable<DumpEvent> | undefined;
  private raws: string[] = [];

  /** Something to do at the next line that is not a dump line (`flush`). */
  get busy(): boolean {
    return this.armed || this.pending !== undefined;
  }

  /** A call line was read: dump lines after it are its data. */
  after(pid: number, name: string, read: boolean): void {
    const t = this.target;
    t.pid = pid;
    t.name = name;
    t.read = read;
    t.bytes = 0;
    this.armed = true;
  }

  /**
   * A dump line. `problem`: what is wrong with it (no call before it, a line
   * missing); `skipped`: it is a line of a call nobody reads, to be counted.
   */
  add(record: DumpRecord, line: number, raw: string): DumpLineOutcome {
    const target = this.target;
    if (!this.armed) return { problem: 'hex dump line with no complete call before it' };
    if (record.offset !== target.bytes) {
      this.armed = false;
      return { problem: `hex dump line at offset ${record.offset}, expected ${target.bytes} (a dump line is missing)` };
    }
    target.bytes += record.data.length;
    if (!target.read) return SKIPPED_LINE;
    const p = this.pending;
    if (p === undefined) {
      this.raws = [raw];
      this.pending = { kind: 'dump', line, raw, pid: target.pid, call: target.name, data: record.data };
      return KEPT_LINE;
    }
    p.endLine = line;
    if (p.data.length >= MAX_DUMP_BYTES) {
      p.truncated = true;
      return KEPT_LINE;
    }
    p.data += record.data;
    this.raws.push(raw);
    return KEPT_LINE;
  }

  /** Any line that is not a dump line: the call's data is complete. Returns its event, if it had one. */
  flush(): DumpEvent | undefined {
    this.armed = false;
    const p = this.pending;
    if (p === undefined) return undefined;
    this.pending = undefined;
    if (this.raws.length > 1) p.raw = this.raws.join('\n');
    this.raws = [];
    return p;
  }
}
