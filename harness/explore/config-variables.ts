/**
 * The variables a configuration file must set to turn a feature on: those
 * the script's tests read (`[ "$ACMEAGT_START" = 1 ]`, `[[ -n $ACME_HOME ]]`)
 * that the script never assigns itself and the SD environment does not
 * give. The value is what the test compares with (`= 1`, `-eq 1`, `= yes`),
 * else `1`, the HP-UX rc.config.d convention for "on".
 */
import type { ScriptOutline } from '../coverage/script-outline.js';

/** What the jail's environment already sets (images/README.md), and the shell's own. */
const GIVEN: ReadonlySet<string> = new Set([
  'PATH',
  'HOME',
  'LANG',
  'PS4',
  'PWD',
  'OLDPWD',
  'IFS',
  'RANDOM',
  'SECONDS',
  'LINENO',
  'OPTIND',
  'OPTARG',
  'PPID',
  'TZ',
]);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TEST_NAMES: ReadonlySet<string> = new Set(['[', '[[', 'test']);

export interface Variable {
  readonly name: string;
  readonly value: string;
}

export function configVariables(outline: ScriptOutline | undefined): Variable[] {
  if (outline === undefined) return [];
  const assigned = new Set(outline.commands.flatMap((c) => c.assigns));
  const out: Variable[] = [];
  for (const c of outline.commands) {
    const isTest = c.kind === 'test' || (c.name?.literal === true && TEST_NAMES.has(c.name.text));
    if (!isTest) continue;
    for (const name of c.reads) {
      if (!IDENTIFIER.test(name) || assigned.has(name) || GIVEN.has(name) || name.startsWith('SW_') || out.some((v) => v.name === name)) continue;
      out.push({ name, value: comparedWith(c.source, name) ?? '1' });
    }
  }
  return out;
}

/** The literal a test compares the variable with for equality, when it does. */
function comparedWith(source: string, name: string): string | undefined {
  const ref = `\\$(?:\\{${name}\\}|${name}(?![A-Za-z0-9_]))`;
  const literal = `["']?([A-Za-z0-9_.+/-]+)["']?`;
  const after = new RegExp(`${ref}"?\\s*(?:==?|-eq)\\s*${literal}`).exec(source);
  if (after !== null) return after[1];
  const before = new RegExp(`${literal}\\s*(?:==?|-eq)\\s*"?${ref}`).exec(source);
  return before?.[1];
}
