/**
 * The leader of a strace line: the pid (`[pid  123] ` on stderr, `123  ` with
 * `-o` and `-f`, none for a lone process or a `-ff` file) and the timestamp
 * (`-ttt` seconds since the epoch, `-tt`/`-t` clock time, `-r` relative).
 *
 * The hot path (`readPrefix`) only locates the timestamp; `timeAt` turns it
 * into seconds when someone reads an event's `time`.
 */

export interface LinePrefix {
  /** Pid from the prefix, or undefined when the line has none. */
  readonly pid: number | undefined;
  /** Seconds (epoch for `-ttt`, since midnight for `-tt`/`-t`). */
  readonly time: number | undefined;
  /** Index where the body starts. */
  readonly body: number;
}

/** What `readPrefix` finds: the timestamp's index (-1: none) instead of its value. */
export interface PrefixSlots {
  pid: number | undefined;
  timeStart: number;
  body: number;
}

const SPACE = 32;

/** Reads the pid and time at the start of `raw`; returns undefined for a malformed `[pid` prefix. */
export function parsePrefix(raw: string): LinePrefix | undefined {
  const out: PrefixSlots = { pid: undefined, timeStart: -1, body: 0 };
  if (!readPrefix(raw, out)) return undefined;
  return { pid: out.pid, time: out.timeStart < 0 ? undefined : timeAt(raw, out.timeStart), body: out.body };
}

/** `parsePrefix` into a caller's object (the parser reuses one: this runs for every line). */
export function readPrefix(raw: string, out: PrefixSlots): boolean {
  let i = 0;
  let pid: number | undefined;
  let c = raw.charCodeAt(0);
  if (c === 91 /* [ */ && raw.startsWith('[pid ', 0)) {
    i = 5;
    while (raw.charCodeAt(i) === SPACE) i++;
    const start = i;
    let value = 0;
    for (c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) value = value * 10 + (c - 48);
    if (i === start || c !== 93 /* ] */) return false;
    pid = value;
    i++;
  } else if (c >= 48 && c <= 57) {
    // `-o file -f` writes `%-5d ` before every line; a timestamp has `.` or `:` after its digits.
    let j = 0;
    let value = 0;
    for (; c >= 48 && c <= 57; c = raw.charCodeAt(++j)) value = value * 10 + (c - 48);
    if (c === SPACE) {
      pid = value;
      i = j;
    }
  }
  // `-r` pads its relative timestamp with leading spaces.
  while (raw.charCodeAt(i) === SPACE) i++;
  out.pid = pid;
  out.timeStart = -1;
  out.body = i;
  c = raw.charCodeAt(i);
  if (c < 48 || c > 57) return true;
  // `1795321492.354075` (-ttt), `14:02:33.753497` (-tt), `14:02:33` (-t); a space follows.
  let j = i + 1;
  for (c = raw.charCodeAt(j); (c >= 48 && c <= 58) || c === 46; c = raw.charCodeAt(++j));
  if (c === SPACE) {
    out.timeStart = i;
    out.body = j + 1;
  }
  return true;
}

/** Seconds of the timestamp starting at `start` (found by `readPrefix`). */
export function timeAt(raw: string, start: number): number {
  let i = start;
  let whole = 0;
  let c = raw.charCodeAt(i);
  for (; c >= 48 && c <= 57; c = raw.charCodeAt(++i)) whole = whole * 10 + (c - 48);
  if (c === 58 /* : */) {
    // hh:mm[:ss]
    let seconds = whole * 3600;
    for (let scale = 60; scale >= 1 && c === 58; scale /= 60) {
      let part = 0;
      for (c = raw.charCodeAt(++i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) part = part * 10 + (c - 48);
      seconds += part * scale;
    }
    whole = seconds;
  }
  if (c !== 46 /* . */) return whole;
  let frac = 0;
  let scale = 1;
  for (c = raw.charCodeAt(++i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) {
    frac = frac * 10 + (c - 48);
    scale *= 10;
  }
  return whole + frac / scale;
}
