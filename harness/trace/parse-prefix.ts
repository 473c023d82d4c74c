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
  let i = 0;
  let pid: number | undefined;
  const first = raw.charCodeAt(0);
  if (first === 91 /* [ */ && raw.startsWith('[pid ', 0)) {
    i = 5;
    while (raw.charCodeAt(i) === SPACE) i++;
    const start = i;
    let value = 0;
    for (let c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) value = value * 10 + (c - 48);
    if (i === start || raw.charCodeAt(i) !== 93 /* ] */) return undefined;
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
  const c = raw.charCodeAt(i);
  if (c < 48 || c > 57) return { pid, time: undefined, body: i };
  const time = readTime(raw, i);
  if (time === undefined) return { pid, time: undefined, body: i };
  return { pid, time: time.value, body: time.end };
}

interface Time {
  readonly value: number;
  readonly end: number;
}

/** `1795321492.354075`, `14:02:33.753497`, `14:02:33`; must be followed by a space. */
function readTime(raw: string, start: number): Time | undefined {
  let i = start;
  let whole = 0;
  for (let c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) whole = whole * 10 + (c - 48);
  if (raw.charCodeAt(i) === 58 /* : */) {
    // hh:mm:ss[.frac]
    let seconds = whole * 3600;
    for (const scale of [60, 1]) {
      if (raw.charCodeAt(i) !== 58) return undefined;
      i++;
      let part = 0;
      const partStart = i;
      for (let c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) part = part * 10 + (c - 48);
      if (i === partStart) return undefined;
      seconds += part * scale;
    }
    whole = seconds;
  }
  let value = whole;
  if (raw.charCodeAt(i) === 46 /* . */) {
    i++;
    let frac = 0;
    let scale = 1;
    for (let c = raw.charCodeAt(i); c >= 48 && c <= 57; c = raw.charCodeAt(++i)) {
      frac = frac * 10 + (c - 48);
      scale *= 10;
    }
    value = whole + frac / scale;
  }
  if (raw.charCodeAt(i) !== SPACE) return undefined;
  return { value, end: i + 1 };
}
