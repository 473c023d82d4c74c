/**
 * The policy's `risky-commands`: the script commands whose line script
 * coverage watches (a risky line that never ran is the `not-exercised`
 * rule's). One entry names commands by globs on the command word (as
 * written, and its base name), and may ask for an argument or a redirection
 * target too. The file's schema, the layer's normal form, the cross-checks
 * after the merge and the compiled matcher live here together.
 */
import type { PolicyProblem } from '../errors.js';
import { suggestion } from '../schema/did-you-mean.js';
import { globsToRegExp, globToRegExp } from './glob-to-regexp.js';
import { NAME_EXPECTED, NAME_PATTERN } from './match-schema.js';
import { problemAt, where } from './merge-layers.js';
import type { PolicyList } from './policy.js';
import { nonEmptyString, type JsonSchema } from '../schema/json-schema.js';
import { EXPECTED } from '../schema/schema-problems.js';
import type { PathKey, SourceLocator, SourceRef } from '../schema/source-locator.js';

export interface RiskyCommand {
  /** Kebab-case, unique over the merged layers. */
  readonly name: string;
  /** The specification section that makes the command risky, e.g. `DRD-Safe Concepts 4.1`. */
  readonly reference: string;
  readonly description: string;
  /** Globs (or list names) on the command word as written and on its base name. Empty: any command (then `redirects` decides). */
  readonly commands: readonly string[];
  /** When present: some argument, as far as it is literal, matches one of these globs (or list names). */
  readonly args?: readonly string[];
  /** When present: some redirection target matches one of these globs (`/dev/tcp/**`). */
  readonly redirects?: readonly string[];
  /** Command names (exact, or list names) this entry never matches, by the word as written or its base name (`echo stop` stops nothing). */
  readonly except: readonly string[];
  readonly at?: SourceRef;
}

/** A command as coverage knows it from the script's parse. */
export interface RiskyCandidate {
  /** The command word with every expansion shown as `*`; absent for an assignment alone. */
  readonly name?: string;
  readonly args: readonly { readonly text: string; readonly literal: boolean }[];
  readonly redirects: readonly { readonly text: string }[];
}

const globs = (description: string): JsonSchema => ({
  type: 'array',
  description,
  items: nonEmptyString('A glob or a list name.'),
  [EXPECTED]: 'an array of globs or list names',
});

const riskyCommand: JsonSchema = {
  type: 'object',
  description: 'A command whose script line coverage watches.',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: NAME_PATTERN.source, description: 'Name of the entry.', [EXPECTED]: NAME_EXPECTED },
    reference: nonEmptyString('The specification section.', { default: '' }),
    description: nonEmptyString('Why the command is risky.', { default: '' }),
    commands: { ...globs('Command words: globs or list names.'), default: [] },
    args: globs('Arguments, one of which must match.'),
    redirects: globs('Redirection targets, one of which must match.'),
    except: {
      type: 'array',
      description: 'Command names never matched.',
      items: nonEmptyString('A name.'),
      default: [],
      [EXPECTED]: 'an array of command names or list names',
    },
  },
  [EXPECTED]: 'a mapping with `name` and `commands` or `redirects`',
};

/** The `risky-commands` key of a policy file, as JSON Schema (policy-schema.ts puts it in the file's schema). */
export const RISKY_COMMANDS_SCHEMA: JsonSchema = {
  type: 'array',
  description: 'Commands whose script lines coverage watches; later layers add entries.',
  items: riskyCommand,
  default: [],
  [EXPECTED]: 'an array of risky commands',
};

/** A validated `risky-commands` value as entries, each tagged with where it was written. */
export function toRiskyCommands(raw: unknown, locator: SourceLocator): RiskyCommand[] {
  return ((raw as Record<string, unknown>[] | undefined) ?? []).map((r, i) => {
    const path: PathKey[] = ['risky-commands', i];
    const strings = (key: string): string[] | undefined => r[key] as string[] | undefined;
    const args = strings('args');
    const redirects = strings('redirects');
    return {
      name: r['name'] as string,
      reference: (r['reference'] as string | undefined) ?? '',
      description: (r['description'] as string | undefined) ?? '',
      commands: strings('commands') ?? [],
      ...(args === undefined ? {} : { args }),
      ...(redirects === undefined ? {} : { redirects }),
      except: strings('except') ?? [],
      at: locator.ref(path),
    };
  });
}

/** Entries of every layer in order; a name defined twice is a problem at the second. */
export function mergeRiskyCommands(layers: readonly (readonly RiskyCommand[])[], problems: PolicyProblem[]): RiskyCommand[] {
  const byName = new Map<string, RiskyCommand>();
  for (const layer of layers) {
    for (const entry of layer) {
      const first = byName.get(entry.name);
      if (first !== undefined) problems.push(problemAt(entry.at, `Risky command \`${entry.name}\` is already defined at ${where(first.at)}`));
      else byName.set(entry.name, entry);
    }
  }
  return [...byName.values()];
}

/** Items naming a list become its items (as in `glob: [list]`). */
function expand(items: readonly string[], lists: ReadonlyMap<string, PolicyList>): string[] {
  return items.flatMap((item) => lists.get(item)?.items ?? [item]);
}

/** Cross-checks on the merged entries: a glob that does not compile, an entry that names nothing to match. */
export function checkRiskyCommands(entries: readonly RiskyCommand[], lists: ReadonlyMap<string, PolicyList>, problems: PolicyProblem[]): void {
  for (const entry of entries) {
    if (entry.commands.length === 0 && entry.redirects === undefined) {
      problems.push(problemAt(entry.at, `Expected risky command \`${entry.name}\` to have \`commands\` or \`redirects\``));
    }
    for (const key of ['commands', 'args', 'redirects'] as const) {
      for (const item of entry[key] ?? []) {
        const list = lists.get(item);
        for (const pattern of list?.items ?? [item]) {
          try {
            globToRegExp(pattern);
          } catch (error) {
            const from = list === undefined ? '' : ` (from list \`${list.name}\`)`;
            const near = list === undefined && /^[a-z][a-z0-9-]*-[a-z0-9-]+$/.test(item) ? suggestion(item, lists.keys()) : '';
            problems.push(
              problemAt(
                entry.at && { ...entry.at, path: `${entry.at.path}.${key}` },
                `Expected \`${key}\` items to be valid globs or list names, got \`${pattern}\`${from}: ${error instanceof Error ? error.message : String(error)}${near}`,
              ),
            );
          }
        }
      }
    }
  }
}

/** The entries compiled once: `match` gives the first entry a command matches. */
export class RiskyCommandMatcher {
  private readonly compiled: readonly {
    readonly entry: RiskyCommand;
    readonly commands?: RegExp;
    readonly args?: RegExp;
    readonly redirects?: RegExp;
    readonly except: ReadonlySet<string>;
  }[];

  constructor(entries: readonly RiskyCommand[], lists: ReadonlyMap<string, PolicyList>) {
    const re = (items: readonly string[] | undefined): RegExp | undefined =>
      items === undefined || items.length === 0 ? undefined : globsToRegExp(expand(items, lists));
    this.compiled = entries.map((entry) => {
      const commands = re(entry.commands);
      const args = re(entry.args);
      const redirects = re(entry.redirects);
      const except = new Set(expand(entry.except, lists));
      return { entry, ...(commands ? { commands } : {}), ...(args ? { args } : {}), ...(redirects ? { redirects } : {}), except };
    });
  }

  match(c: RiskyCandidate): RiskyCommand | undefined {
    const name = c.name;
    const base = name === undefined ? undefined : name.slice(name.lastIndexOf('/') + 1);
    const named = (re: RegExp): boolean => name !== undefined && (re.test(name) || (base !== undefined && re.test(base)));
    for (const x of this.compiled) {
      if (name !== undefined && (x.except.has(name) || (base !== undefined && x.except.has(base)))) continue;
      if (x.commands !== undefined && !named(x.commands)) continue;
      if (x.commands === undefined && x.redirects === undefined) continue;
      // Only literal arguments: an argument made at run time (`$1`) would make every command with one risky.
      if (x.args !== undefined && !c.args.some((a) => a.literal && (x.args as RegExp).test(a.text))) continue;
      if (x.redirects !== undefined && !c.redirects.some((r) => (x.redirects as RegExp).test(r.text))) continue;
      return x.entry;
    }
    return undefined;
  }
}
