/**
 * The leader of a strace line: the pid (`[pid  123] ` on stderr, `123  ` with
 * `-o` and `-f`, none for a lone process or a `-ff` file) and the timestamp
 * (`-ttt` seconds since the epoch, `-tt`/`-t` clock time, `-r` relative).
 */

export interface LinePrefix {
  /** Pid from the prefix, or undefined when the line has none. */
  readonly pid: number | undefined;
  /** Seconds (epoch for `-ttt`, since midnight for `-tt`/`-t`). */
  readonly time: number | undefined;
  /** Index where the body starts. */
  readonly body: number;
}

const SPACE = 32;

/** Reads the pid and time at the start of `raw`; returns undefined for a malformed `[pid` prefix. */
export function parsePrefix(raw: string): LinePrefix | undefined {
  const out: MutablePrefix = { pid: undefined, time: undefined, body: 0 };
  return readPrefix(raw, out) ? out : undefined;
}

export type MutablePrefix = { -readonly [K in keyof LinePrefix]: LinePrefix[K] };

/** `parsePrefix` into a caller's object (the parser reuses one: this runs for every line). */
export function readPrefix(raw: string, out: MutablePrefix): boolean {
  let i = 0;
  let pid: number | undefined;
  const first = raw.charCodeAt(0);
  if (first === 91 /* [ */ && raw.startsWith('[pid ', 0)) {
    i = 5;
    while (raw.charCodeAt(i) === SPACE) i++;
    const start = i;
    let value = 0;
    for (let c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) value = value * 10 + (c - 48);
    if (i === start || raw.charCodeAt(i) !== 93 /* ] */) return false;
    pid = value;
    i++;
    while (raw.charCodeAt(i) === SPACE) i++;
  } else if (first >= 48 && first <= 57) {
    // `-o file -f` writes `%-5d ` before every line; a timestamp has `.` or `:` after its digits.
    let j = 0;
    let value = 0;
    for (let c = first; c >= 48 && c <= 57; c = raw.charCodeAt(++j)) value = value * 10 + (c - 48);
    if (raw.charCodeAt(j) === SPACE) {
      pid = value;
      i = j;
      while (raw.charCodeAt(i) === SPACE) i++;
    }
  }
  // `-r` pads its relative timestamp with leading spaces.
  while (raw.charCodeAt(i) === SPACE) i++;
  let c = raw.charCodeAt(i);
  if (c < 48 || c > 57) return set(out, pid, undefined, i);
  // `1795321492.354075` (-ttt), `14:02:33.753497` (-tt), `14:02:33` (-t); a space follows.
  const timeStart = i;
  let whole = 0;
  for (; c >= 48 && c <= 57; c = raw.charCodeAt(++i)) whole = whole * 10 + (c - 48);
  if (c === 58 /* : */) {
    let seconds = whole * 3600;
    for (let scale = 60; scale >= 1 && c === 58; scale /= 60) {
      const partStart = ++i;
      let part = 0;
      for (c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) part = part * 10 + (c - 48);
      if (i === partStart) return set(out, pid, undefined, timeStart);
      seconds += part * scale;
    }
    whole = seconds;
  }
  let time = whole;
  if (c === 46 /* . */) {
    let frac = 0;
    let scale = 1;
    for (c = raw.charCodeAt(++i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) {
      frac = frac * 10 + (c - 48);
      scale *= 10;
    }
    time = whole + frac / scale;
  }
  if (c !== SPACE) return set(out, pid, undefined, timeStart);
  return set(out, pid, time, i + 1);
}

function set(out: MutablePrefix, pid: number | undefined, time: number | undefined, body: number): true {
  out.pid = pid;
  out.time = time;
  out.body = body;
  return true;
}
