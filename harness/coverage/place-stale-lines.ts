/**
 * ksh93 traces a command substitution in a `case` word with the LINENO of
 * the command before the `case` (measured with ksh93u+m 1.0.4: `case
 * "$(uname -r)" in` on line 9, after `. control_utils` on line 8, writes
 * `+drdsafe[@:8] uname -r`). The model takes a call's script line from that
 * marker, so a finding on such a call named line 8 and quoted its source.
 * The parsed script knows where the substitution is: a call finding whose
 * line holds no command of the traced name, while a `case` word below it
 * substitutes one, is placed on that line, with a caveat saying why.
 */
import type { Finding } from '../policy/finding.js';
import type { ScriptLocation } from '../model/model-event.js';
import { named } from './join-coverage.js';
import type { ScriptOutline } from './script-outline.js';

/** The first word of the command as ksh traced it (`uname -r` -> `uname`). */
function tracedWord(location: ScriptLocation): string | undefined {
  return location.expanded?.trim().split(/\s+/)[0];
}

/** `location` moved to where the parsed script puts the traced command, or `undefined` when it is where it belongs. */
export function placeStaleLine(
  outline: ScriptOutline,
  sourceLines: readonly string[],
  scriptPath: string,
  location: ScriptLocation,
): ScriptLocation | undefined {
  if (location.file !== scriptPath) return undefined;
  const word = tracedWord(location);
  if (word === undefined || word === '') return undefined;
  if ((outline.byLine.get(location.line) ?? []).some((c) => named(c, word))) return undefined;
  const moved = outline.commands.find((c) => c.staleLine && c.line > location.line && named(c, word));
  if (moved === undefined) return undefined;
  const why = `ksh93 traced this \`case\` word's command substitution with line ${location.line}'s number; the script has it on line ${moved.line}`;
  return {
    ...location,
    line: moved.line,
    source: (sourceLines[moved.line - 1] ?? '').replace(/\r$/, ''),
    caveat: location.caveat === undefined ? why : `${location.caveat}; ${why}`,
  };
}

/** The call findings with every stale-line marker placed where the script has its command. */
export function placeStaleLines(outline: ScriptOutline, sourceLines: readonly string[], scriptPath: string, findings: readonly Finding[]): Finding[] {
  return findings.map((f) => {
    if (f.event === undefined || f.location === undefined) return f;
    const placed = placeStaleLine(outline, sourceLines, scriptPath, f.location);
    return placed === undefined ? f : { ...f, location: placed };
  });
}
