/**
 * Turns one validated policy file into a `PolicyLayer`: defaults from the
 * schema filled in, matches turned into trees, and every element tagged with
 * where it was written. Runs only on values that passed the schema.
 */
import type { GroundEvidence } from '../model/event-classes/ground-evidence.js';
import type { ProcessOrigin } from '../model/model-event.js';
import { PHASES, type Phase } from '../contract/run-metadata.js';
import type { Severity } from './finding.js';
import {
  operatorNamed,
  type MatchNode,
  type Operator,
  type PolicyException,
  type PolicyList,
  type PolicyMacro,
  type PolicyRule,
  type TestValue,
} from './policy.js';
import { BY_CLASS, RULE_PROPERTIES } from './policy-schema.js';
import type { PathKey, SourceLocator, SourceRef } from '../schema/source-locator.js';
import { toRiskyCommands, type RiskyCommand } from './risky-commands.js';

export interface RuleOverride {
  readonly id: string;
  readonly severity?: Severity;
  readonly enabled?: boolean;
  readonly exceptions: readonly PolicyException[];
  readonly at: SourceRef;
}

/** One policy file, normalised but not yet merged with the others. */
export interface PolicyLayer {
  readonly file: string;
  readonly header?: { readonly name: string; readonly version: string; readonly description: string; readonly at: SourceRef };
  readonly extends?: { readonly ref: string; readonly at: SourceRef };
  readonly lists: readonly PolicyList[];
  readonly appendLists: readonly PolicyList[];
  readonly macros: readonly PolicyMacro[];
  readonly rules: readonly PolicyRule[];
  readonly disable: readonly { readonly id: string; readonly at: SourceRef }[];
  readonly overrides: readonly RuleOverride[];
  readonly riskyCommands: readonly RiskyCommand[];
}

type Raw = Record<string, unknown>;

function defaultOf<T>(key: string): T {
  return RULE_PROPERTIES[key]?.['default'] as T;
}

function testValue(op: Operator, value: unknown): TestValue {
  if (op === 'in' || op === 'command') return typeof value === 'string' ? { list: value } : (value as (string | number)[]);
  if (op === 'glob' || op === 'regex') return typeof value === 'string' ? [value] : (value as string[]);
  return value as string | number | boolean;
}

export function toMatchNode(raw: unknown, path: readonly PathKey[], locator: SourceLocator): MatchNode {
  const children: MatchNode[] = [];
  for (const [key, value] of Object.entries(raw as Raw)) {
    const at = [...path, key];
    if (key === 'all' || key === 'any') {
      children.push({ kind: key, of: (value as unknown[]).map((m, i) => toMatchNode(m, [...at, i], locator)), at: locator.ref(at) });
    } else if (key === 'not') {
      children.push({ kind: 'not', of: toMatchNode(value, at, locator), at: locator.ref(at) });
    } else if (key === 'macro') {
      children.push({ kind: 'macro', name: value as string, at: locator.ref(at) });
    } else if (Array.isArray(value)) {
      children.push({ kind: 'test', field: key, op: 'in', value: value as (string | number)[], at: locator.ref(at) });
    } else if (typeof value === 'object' && value !== null) {
      for (const [name, operand] of Object.entries(value as Raw)) {
        const op = operatorNamed(name) as Operator;
        children.push({ kind: 'test', field: key, op, value: testValue(op, operand), at: locator.ref([...at, name]) });
      }
    } else {
      children.push({ kind: 'test', field: key, op: 'eq', value: value as string | number | boolean, at: locator.ref(at) });
    }
  }
  const only = children[0];
  return children.length === 1 && only !== undefined ? only : { kind: 'all', of: children, at: locator.ref(path) };
}

function toList(name: string, items: unknown, path: readonly PathKey[], locator: SourceLocator): PolicyList {
  // `{file: PATH, select?: KEYS}`: the loader reads the items (list-file.ts).
  if (!Array.isArray(items)) {
    const { file, select } = items as { file: string; select?: string };
    return { name, items: [], file, ...(select !== undefined ? { select } : {}), at: locator.ref(path, true) };
  }
  return { name, items: items.map(String), at: locator.ref(path, true) };
}

function toExceptions(raw: unknown, path: readonly PathKey[], locator: SourceLocator): PolicyException[] {
  return ((raw as Raw[] | undefined) ?? []).map((e, i) => ({
    name: e['name'] as string,
    description: (e['description'] as string | undefined) ?? '',
    match: toMatchNode(e['match'], [...path, i, 'match'], locator),
    at: locator.ref([...path, i]),
  }));
}

function toRule(raw: Raw, path: readonly PathKey[], locator: SourceLocator): PolicyRule {
  const phases = raw['phases'];
  const confirm = (raw['confirm'] as string | undefined) ?? defaultOf<string>('confirm');
  return {
    id: raw['id'] as string,
    enabled: (raw['enabled'] as boolean | undefined) ?? defaultOf<boolean>('enabled'),
    gap: (raw['gap'] as boolean | undefined) ?? defaultOf<boolean>('gap'),
    severity: raw['severity'] as Severity,
    title: raw['title'] as string,
    reference: (raw['reference'] as string | undefined) ?? defaultOf<string>('reference'),
    description: (raw['description'] as string | undefined) ?? defaultOf<string>('description'),
    origins: (raw['origins'] as ProcessOrigin[] | undefined) ?? defaultOf<readonly ProcessOrigin[]>('origins'),
    phases: phases === 'all' ? PHASES : ((phases as Phase[] | undefined) ?? defaultOf<readonly Phase[]>('phases')),
    match: toMatchNode(raw['match'], [...path, 'match'], locator),
    exceptions: toExceptions(raw['exceptions'], [...path, 'exceptions'], locator),
    message: (raw['message'] as string | undefined) ?? defaultOf<string>('message'),
    // By the event's class (the default) is left out, so the policy hash of a rule without `confirm` stays as it was.
    ...(confirm === BY_CLASS ? {} : { confirm: confirm as GroundEvidence }),
    at: locator.ref(path),
  };
}

/** A validated file's value as a layer. */
export function normalizeLayer(value: Raw, locator: SourceLocator): PolicyLayer {
  const header = value['policy'] as Raw | undefined;
  const extendsRef = value['extends'] as string | undefined;
  const entries = (key: string): [string, unknown][] => Object.entries((value[key] as Raw | undefined) ?? {});
  return {
    file: locator.file,
    ...(header === undefined
      ? {}
      : {
          header: {
            name: header['name'] as string,
            version: String(header['version']),
            description: (header['description'] as string | undefined) ?? '',
            at: locator.ref(['policy']),
          },
        }),
    ...(extendsRef === undefined ? {} : { extends: { ref: extendsRef, at: locator.ref(['extends']) } }),
    lists: entries('lists').map(([name, items]) => toList(name, items, ['lists', name], locator)),
    appendLists: entries('append-lists').map(([name, items]) => toList(name, items, ['append-lists', name], locator)),
    macros: entries('macros').map(([name, match]) => ({
      name,
      match: toMatchNode(match, ['macros', name], locator),
      at: locator.ref(['macros', name], true),
    })),
    rules: ((value['rules'] as Raw[] | undefined) ?? []).map((r, i) => toRule(r, ['rules', i], locator)),
    disable: ((value['disable'] as string[] | undefined) ?? []).map((id, i) => ({ id, at: locator.ref(['disable', i]) })),
    overrides: entries('overrides').map(([id, o]) => {
      const raw = o as Raw;
      return {
        id,
        ...(raw['severity'] === undefined ? {} : { severity: raw['severity'] as Severity }),
        ...(raw['enabled'] === undefined ? {} : { enabled: raw['enabled'] as boolean }),
        exceptions: toExceptions(raw['exceptions'], ['overrides', id, 'exceptions'], locator),
        at: locator.ref(['overrides', id], true),
      };
    }),
    riskyCommands: toRiskyCommands(value['risky-commands'], locator),
  };
}
