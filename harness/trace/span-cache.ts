/**
 * A small direct-mapped cache from a span of text to a read-only value built
 * from it. Traces repeat the same arguments line after line (`3</usr/lib/...>`,
 * `O_RDONLY|O_CLOEXEC`, `SEEK_CUR`): sharing one value per text spares the
 * allocations that dominate the argument scanner. A slot is found from the
 * span's length and three of its characters, and a hit is confirmed by
 * comparing the whole text, so collisions only cost a rebuild.
 */
export class SpanCache<T> {
  private readonly keys: (string | undefined)[];
  private readonly values: (T | undefined)[];
  private readonly mask: number;

  /** `size` must be a power of two. Default: `1024`. */
  constructor(size = 1024) {
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Array<T | undefined>(size).fill(undefined);
    this.mask = size - 1;
  }

  /** The slot of `text[start, end)`. */
  slot(text: string, start: number, end: number): number {
    const len = end - start;
    const h = len * 31 + text.charCodeAt(start) * 7 + text.charCodeAt(end - 1) * 13 + text.charCodeAt(start + (len >> 1));
    return h & this.mask;
  }

  /** The value cached in `slot` when it was built from the same text. */
  hit(slot: number, text: string, start: number, end: number): T | undefined {
    const key = this.keys[slot];
    if (key === undefined || key.length !== end - start || !text.startsWith(key, start)) return undefined;
    return this.values[slot];
  }

  store(slot: number, key: string, value: T): void {
    this.keys[slot] = key;
    this.values[slot] = value;
  }
}
