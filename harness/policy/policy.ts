/**
 * The normalised, merged policy: what `loadPolicy` returns and `compilePolicy`
 * takes. Every default is filled in, every layer (`extends`, user files) is
 * merged, and every element remembers where it was written so problems found
 * after the merge can still name a file, line and column.
 */
import type { PolicyProblem } from '../errors.js';
import type { GroundEvidence } from '../model/event-classes/ground-evidence.js';
import type { ProcessOrigin } from '../model/model-event.js';
import type { Phase } from '../contract/run-metadata.js';
import type { SourceRef } from '../schema/source-locator.js';
import type { Severity } from './finding.js';
import type { RiskyCommand } from './risky-commands.js';

export const OPERATORS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'glob', 'regex', 'exists', 'command'] as const;
export type Operator = (typeof OPERATORS)[number];

/** Symbolic spellings accepted for the comparison operators (quote them in YAML: `{"!=": 0}`). */
export const OPERATOR_ALIASES: Readonly<Record<string, Operator>> = { '==': 'eq', '!=': 'ne', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

/** The operator a key names, by word or symbol. */
export function operatorNamed(key: string): Operator | undefined {
  return (OPERATORS as readonly string[]).includes(key) ? (key as Operator) : OPERATOR_ALIASES[key];
}

/** A reference to a named list (`in: daemon-control-verbs`). */
export interface ListRef {
  readonly list: string;
}

/**
 * The value of one test. `in`/`glob`/`regex`/`command` take an array (items
 * that name a list are expanded when compiled) or a `ListRef`; the others take
 * a scalar.
 */
export type TestValue = string | number | boolean | ListRef | readonly (string | number)[];

export type MatchNode =
  | { readonly kind: 'all'; readonly of: readonly MatchNode[]; readonly at?: SourceRef }
  | { readonly kind: 'any'; readonly of: readonly MatchNode[]; readonly at?: SourceRef }
  | { readonly kind: 'not'; readonly of: MatchNode; readonly at?: SourceRef }
  | { readonly kind: 'macro'; readonly name: string; readonly at?: SourceRef }
  | {
      readonly kind: 'test';
      readonly field: string;
      readonly op: Operator;
      readonly value: TestValue;
      readonly at?: SourceRef;
    };

export interface PolicyList {
  readonly name: string;
  readonly items: readonly string[];
  /** The file the items are read from (as written, relative to the policy file), until the loader has read it. */
  readonly file?: string;
  /** Dotted keys leading to the items inside a YAML or JSON list file (`commands.path`). */
  readonly select?: string;
  readonly at?: SourceRef;
}

export interface PolicyMacro {
  readonly name: string;
  readonly match: MatchNode;
  readonly at?: SourceRef;
}

export interface PolicyException {
  readonly name: string;
  readonly description: string;
  readonly match: MatchNode;
  readonly at?: SourceRef;
}

export interface PolicyRule {
  readonly id: string;
  readonly enabled: boolean;
  /**
   * Each finding of the rule is also a capture gap: something the sandbox
   * cannot judge (a program it lacks), which keeps the verdict from `safe`.
   */
  readonly gap: boolean;
  readonly severity: Severity;
  readonly title: string;
  /** The seed section the rule enforces, e.g. `DRD-Safe Concepts 3.1.1`. */
  readonly reference: string;
  readonly description: string;
  /** Origins of the acting process the rule applies to. */
  readonly origins: readonly ProcessOrigin[];
  /** Phases the rule applies to; events of a run without a known phase always apply. */
  readonly phases: readonly Phase[];
  readonly match: MatchNode;
  readonly exceptions: readonly PolicyException[];
  /** Message template, e.g. `{process.argv} sent {signal.name} to {target}`. */
  readonly message: string;
  /**
   * The sandbox evidence that confirms the rule's findings (ground-truth.ts),
   * instead of the one its event's class names. Absent: by the event's class.
   */
  readonly confirm?: GroundEvidence;
  readonly at?: SourceRef;
}

/** One file that went into the merged policy, in merge order. */
export interface PolicyLayerInfo {
  readonly name: string;
  readonly version?: string;
  /** The file as the user named it, or `policies/<name>.yaml` for a built-in policy. */
  readonly file: string;
}

export interface Policy {
  /** Names of the merged layers joined with `+`, e.g. `drd-safe+site`. */
  readonly name: string;
  /** Version of the base layer. */
  readonly version: string;
  readonly description: string;
  readonly layers: readonly PolicyLayerInfo[];
  readonly lists: ReadonlyMap<string, PolicyList>;
  readonly macros: ReadonlyMap<string, PolicyMacro>;
  /** In definition order. */
  readonly rules: readonly PolicyRule[];
  /** The commands whose script lines coverage watches (risky-commands.ts), every layer's in order. */
  readonly riskyCommands: readonly RiskyCommand[];
  /** Things worth fixing that do not stop the policy from loading (not part of the hash). */
  readonly warnings?: readonly PolicyProblem[];
}
