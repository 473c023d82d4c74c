/**
 * Chunked line splitting over Buffers: finds `\n` with `Buffer#indexOf` and
 * decodes each line as latin1, so byte n becomes code point n. strace escapes
 * what it prints, so traces are ASCII in practice; latin1 keeps any raw byte
 * exact and one char per byte (line lengths are byte counts), and agrees with
 * how escaped bytes in strings are decoded (`StringArg`).
 *
 * Only the unfinished last line is carried between chunks, and a line longer
 * than `maxLineBytes` is dropped as it streams (keeping a short preview), so
 * memory stays bounded whatever the input.
 */

export interface LineHandler {
  /** A complete line without its `\n`; `byteLength` includes the `\n` (or not, for the tail). */
  line(text: string, byteLength: number): void;
  /** A line over the limit: its first bytes as a preview and its full length. */
  oversized(preview: string, byteLength: number): void;
}

const NEWLINE = 10;
const PREVIEW_BYTES = 200;

export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** Preview of the line being dropped, while one is. */
  private dropping: string | undefined;

  constructor(
    private readonly handler: LineHandler,
    private readonly maxLineBytes: number = 16 * 1024 * 1024,
  ) {}

  /** Splits one chunk. The chunk may be reused by the caller afterwards. */
  push(chunk: Buffer): void {
    const len = chunk.length;
    let pos = 0;
    while (pos < len) {
      const nl = chunk.indexOf(NEWLINE, pos);
      const stop = nl === -1 ? len : nl;
      if (this.dropping !== undefined) {
        this.carryBytes += stop - pos;
      } else if (this.carryBytes + (stop - pos) > this.maxLineBytes) {
        const head = this.carryBytes > 0 ? Buffer.concat([...this.carry, chunk.subarray(pos, stop)]) : chunk.subarray(pos, stop);
        this.dropping = head.toString('latin1', 0, Math.min(PREVIEW_BYTES, head.length));
        this.carry = [];
        this.carryBytes += stop - pos;
      } else if (nl === -1) {
        // Copy: the caller may reuse its read buffer.
        this.carry.push(Buffer.from(chunk.subarray(pos, len)));
        this.carryBytes += len - pos;
      } else if (this.carryBytes > 0) {
        this.carry.push(chunk.subarray(pos, nl));
        const whole = Buffer.concat(this.carry, this.carryBytes + (nl - pos));
        this.carry = [];
        this.carryBytes = 0;
        this.handler.line(whole.toString('latin1'), whole.length + 1);
      } else {
        this.handler.line(chunk.toString('latin1', pos, nl), nl - pos + 1);
      }
      if (nl === -1) return;
      if (this.dropping !== undefined) {
        this.handler.oversized(this.dropping, this.carryBytes + 1);
        this.dropping = undefined;
        this.carryBytes = 0;
      }
      pos = nl + 1;
    }
  }

  /** Flushes the last line when the input did not end with `\n`; returns whether there was one. */
  end(): boolean {
    if (this.dropping !== undefined) {
      this.handler.oversized(this.dropping, this.carryBytes);
      this.dropping = undefined;
      this.carryBytes = 0;
      return true;
    }
    if (this.carryBytes === 0) return false;
    const whole = Buffer.concat(this.carry, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    this.handler.line(whole.toString('latin1'), whole.length);
    return true;
  }
}
