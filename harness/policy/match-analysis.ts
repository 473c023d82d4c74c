/**
 * Static questions about a match tree: which event classes can it match
 * (the compiled policy indexes rules by class so an event only meets rules
 * that can fire on it), and which syscalls can it match (what strace must
 * trace). Both err on the side of "more": a wrong answer may cost speed,
 * never a finding.
 */
import type { EventClass } from '../model/model-event.js';
import type { Tree } from '../contract/run-metadata.js';
import { EVENT_CLASSES, FIELDS_BY_NAME } from './event-fields.js';
import { globsToRegExp } from './glob-to-regexp.js';
import type { MatchNode, PolicyList, PolicyMacro, TestValue } from './policy.js';
import { X86_64_SYSCALLS } from './x86-64-syscalls.js';

type Test = Extract<MatchNode, { kind: 'test' }>;
type Lists = ReadonlyMap<string, PolicyList>;
type Macros = ReadonlyMap<string, PolicyMacro>;

/** The values of an `in`/`glob`/`regex` test with list references expanded (array items that name a list, Falco-style). */
export function expandValues(value: TestValue, lists: Lists): (string | number)[] {
  if (typeof value === 'object' && 'list' in value) return [...(lists.get(value.list)?.items ?? [])];
  if (!Array.isArray(value)) return [value as string | number];
  return (value as readonly (string | number)[]).flatMap((item) =>
    typeof item === 'string' && lists.has(item) ? [...(lists.get(item)?.items ?? [])] : [item],
  );
}

/** Every test in a tree, following macros (each macro once). */
export function* walkTests(node: MatchNode, macros: Macros, seen: Set<string> = new Set()): Generator<Test> {
  switch (node.kind) {
    case 'test':
      yield node;
      return;
    case 'all':
    case 'any':
      for (const child of node.of) yield* walkTests(child, macros, seen);
      return;
    case 'not':
      yield* walkTests(node.of, macros, seen);
      return;
    case 'macro': {
      const macro = macros.get(node.name);
      if (macro === undefined || seen.has(node.name)) return;
      seen.add(node.name);
      yield* walkTests(macro.match, macros, seen);
    }
  }
}

/** Values of `universe` a positive test on a string field can hold for; undefined = unconstrained. */
function constrained(test: Test, universe: Iterable<string>, lists: Lists): Set<string> | undefined {
  switch (test.op) {
    case 'eq':
      return new Set([String(test.value)]);
    case 'in':
      return new Set(expandValues(test.value, lists).map(String));
    case 'glob':
    case 'regex': {
      const patterns = expandValues(test.value, lists).map(String);
      const re = test.op === 'glob' ? globsToRegExp(patterns) : new RegExp(patterns.map((p) => `(?:${p})`).join('|'));
      return new Set([...universe].filter((v) => re.test(v)));
    }
    default:
      return undefined;
  }
}

function intersect<T>(sets: readonly Set<T>[]): Set<T> {
  const [first, ...rest] = sets;
  if (first === undefined) return new Set();
  return new Set([...first].filter((v) => rest.every((s) => s.has(v))));
}

/**
 * The classes whose events `node` can match. A test on a field only some
 * classes carry implies one of those classes: every operator but `exists`
 * is false on an absent field.
 */
export function classesOf(node: MatchNode, macros: Macros, lists: Lists, seen: ReadonlySet<string> = new Set()): Set<EventClass> {
  const all = (): Set<EventClass> => new Set(EVENT_CLASSES);
  switch (node.kind) {
    case 'test': {
      if (node.op === 'exists' && node.value === false) return all();
      if (node.field === 'class') return (constrained(node, EVENT_CLASSES, lists) as Set<EventClass> | undefined) ?? all();
      const classes = FIELDS_BY_NAME.get(node.field)?.classes;
      return classes === undefined ? all() : new Set(classes);
    }
    case 'all':
      return intersect(node.of.map((c) => classesOf(c, macros, lists, seen)));
    case 'any': {
      const out = new Set<EventClass>();
      for (const child of node.of) for (const c of classesOf(child, macros, lists, seen)) out.add(c);
      return out;
    }
    case 'not':
      return all();
    case 'macro': {
      const macro = macros.get(node.name);
      if (macro === undefined || seen.has(node.name)) return all();
      return classesOf(macro.match, macros, lists, new Set([...seen, node.name]));
    }
  }
}

/** The syscalls `node` can match, or undefined when it does not constrain them. */
export function syscallsOf(node: MatchNode, macros: Macros, lists: Lists, seen: ReadonlySet<string> = new Set()): Set<string> | undefined {
  switch (node.kind) {
    case 'test':
      return node.field === 'syscall' ? constrained(node, X86_64_SYSCALLS, lists) : undefined;
    case 'all': {
      const sets = node.of.map((c) => syscallsOf(c, macros, lists, seen)).filter((s): s is Set<string> => s !== undefined);
      return sets.length === 0 ? undefined : intersect(sets);
    }
    case 'any': {
      const out = new Set<string>();
      for (const child of node.of) {
        const set = syscallsOf(child, macros, lists, seen);
        if (set === undefined) return undefined;
        for (const s of set) out.add(s);
      }
      return out;
    }
    case 'not':
      return undefined;
    case 'macro': {
      const macro = macros.get(node.name);
      if (macro === undefined || seen.has(node.name)) return undefined;
      return syscallsOf(macro.match, macros, lists, new Set([...seen, node.name]));
    }
  }
}

/**
 * The path trees (`path.tree`) an event must be in for `node` to match it, or
 * undefined when `node` does not constrain them. Like `syscallsOf`, it may
 * answer "more" than the truth, never less.
 */
export function pathTreesOf(node: MatchNode, macros: Macros, lists: Lists, seen: ReadonlySet<string> = new Set()): Set<Tree> | undefined {
  switch (node.kind) {
    case 'test':
      return node.field === 'path.tree' ? (constrained(node, TREES, lists) as Set<Tree> | undefined) : undefined;
    case 'all': {
      const sets = node.of.map((c) => pathTreesOf(c, macros, lists, seen)).filter((s): s is Set<Tree> => s !== undefined);
      return sets.length === 0 ? undefined : intersect(sets);
    }
    case 'any': {
      const out = new Set<Tree>();
      for (const child of node.of) {
        const set = pathTreesOf(child, macros, lists, seen);
        if (set === undefined) return undefined;
        for (const t of set) out.add(t);
      }
      return out;
    }
    case 'not':
      return undefined;
    case 'macro': {
      const macro = macros.get(node.name);
      if (macro === undefined || seen.has(node.name)) return undefined;
      return pathTreesOf(macro.match, macros, lists, new Set([...seen, node.name]));
    }
  }
}

const TREES: readonly Tree[] = ['booted', 'inactive', 'shared', 'sandbox', 'other'];
