/**
 * Compiles match trees into closures once, so evaluating an event runs plain
 * function calls and property reads: lists become Sets, globs and regexes one
 * RegExp per test, macros one shared closure each, and the tests of an `all`
 * run cheapest first.
 */
import { InternalError } from '../errors.js';
import type { PolicyEvent } from '../model/model-event.js';
import { FIELDS_BY_NAME, type EventField } from './event-fields.js';
import { globsToRegExp } from './glob-to-regexp.js';
import { expandValues } from './match-analysis.js';
import type { MatchNode, PolicyList, PolicyMacro } from './policy.js';

export type Predicate = (event: PolicyEvent) => boolean;
type Test = Extract<MatchNode, { kind: 'test' }>;
type Scalar = string | number | boolean;

export interface MatchCompiler {
  compile(node: MatchNode): Predicate;
  /**
   * The predicate for an event whose call never returned (`unfinished`): it
   * holds when `node` holds whatever the call's result was. A test of a field
   * that needs the result (`EventField.result`: `ok`, `errno`, ...) is then
   * unknown, and so is every combination that hangs on it; the other tests
   * are read as usual. So `kill(-1, SIGKILL)` entered is still a signal to
   * every process, while `ok: true` or `errno: ENOENT` hold for no such call,
   * nor does `not: {ok: true}`.
   */
  compileUnfinished(node: MatchNode): Predicate;
}

const ALWAYS: Predicate = () => true;
const NEVER: Predicate = () => false;

/** Fields whose getter builds a value (slices, joins) rather than reading one. */
const DERIVED = new Set(['process.name', 'process.args', 'process.cmdline', 'process.ancestors', 'exec.name', 'exec.args', 'exec.cmdline', 'socket.endpoint']);

function elementTest(field: EventField, test: Test, lists: ReadonlyMap<string, PolicyList>): (x: Scalar) => boolean {
  const v = test.value;
  switch (test.op) {
    case 'eq':
      return (x) => x === v;
    case 'ne':
      return (x) => x !== v;
    case 'lt':
      return (x) => typeof x === 'number' && x < (v as number);
    case 'le':
      return (x) => typeof x === 'number' && x <= (v as number);
    case 'gt':
      return (x) => typeof x === 'number' && x > (v as number);
    case 'ge':
      return (x) => typeof x === 'number' && x >= (v as number);
    case 'in': {
      const items = expandValues(v, lists);
      const set = new Set<Scalar>(field.type === 'number' ? items.map(Number) : items.map(String));
      return (x) => set.has(x);
    }
    case 'glob': {
      const re = globsToRegExp(expandValues(v, lists).map(String));
      return (x) => typeof x === 'string' && re.test(x);
    }
    case 'regex': {
      const re = new RegExp(
        expandValues(v, lists)
          .map((p) => `(?:${String(p)})`)
          .join('|'),
      );
      return (x) => typeof x === 'string' && re.test(x);
    }
    case 'command':
      return commandTest(expandValues(v, lists).map(String));
    case 'exists':
      throw new InternalError('exists has no element test');
  }
}

/**
 * `command`: the value names one of the commands, as a shell would run it. A
 * path (with a `/`) must be one of them exactly: `/usr/bin/useradd` is not
 * HP-UX's `/usr/sbin/useradd`, and fails there too. A bare name is what a
 * shell looks up in PATH (ksh93's `not found` names only that): it names
 * each command whose base name it is. An item without `/` is a bare name.
 */
function commandTest(items: readonly string[]): (x: Scalar) => boolean {
  const paths = new Set<string>();
  const names = new Set<string>();
  for (const item of items) {
    if (item.includes('/')) paths.add(item);
    names.add(item.slice(item.lastIndexOf('/') + 1));
  }
  return (x) => typeof x === 'string' && (x.includes('/') ? paths.has(x) : names.has(x));
}

function compileTest(test: Test, lists: ReadonlyMap<string, PolicyList>): Predicate {
  const field = FIELDS_BY_NAME.get(test.field);
  if (field === undefined) throw new InternalError(`unknown field ${test.field} reached the compiler`);
  const get = field.get;
  // A list field that is the tail of an array (argv[1..]) is read in place, not copied.
  const list = field.tail?.of ?? ((e: PolicyEvent) => get(e) as readonly string[] | undefined);
  const skip = field.tail?.skip ?? 0;
  if (test.op === 'exists') {
    const want = test.value === true;
    if (field.type === 'strings') return (e) => (list(e)?.length ?? 0) > skip === want;
    return (e) => (get(e) !== undefined) === want;
  }
  const holds = elementTest(field, test, lists);
  if (field.type === 'strings') {
    return (e) => {
      const values = list(e);
      if (values === undefined) return false;
      for (let i = skip; i < values.length; i++) if (holds(values[i] as string)) return true;
      return false;
    };
  }
  // Every operator but `exists` is false on an absent field.
  return (e) => {
    const x = get(e) as Scalar | undefined;
    return x !== undefined && holds(x);
  };
}

function cost(node: MatchNode, macros: ReadonlyMap<string, PolicyMacro>, depth = 0): number {
  switch (node.kind) {
    case 'test':
      return (node.op === 'glob' || node.op === 'regex' ? 4 : node.op === 'in' ? 2 : 1) + (DERIVED.has(node.field) ? 4 : 0);
    case 'all':
    case 'any':
      return node.of.reduce((sum, c) => sum + cost(c, macros, depth), 0);
    case 'not':
      return cost(node.of, macros, depth);
    case 'macro': {
      const macro = macros.get(node.name);
      return macro === undefined || depth > 8 ? 10 : cost(macro.match, macros, depth + 1);
    }
  }
}

export function createMatchCompiler(lists: ReadonlyMap<string, PolicyList>, macros: ReadonlyMap<string, PolicyMacro>): MatchCompiler {
  const compiledMacros = new Map<string, Predicate>();
  const compiling = new Set<string>();

  const compile = (node: MatchNode): Predicate => {
    switch (node.kind) {
      case 'test':
        return compileTest(node, lists);
      case 'not': {
        const inner = compile(node.of);
        return (e) => !inner(e);
      }
      case 'all': {
        const parts = [...node.of].sort((a, b) => cost(a, macros) - cost(b, macros)).map(compile);
        const [a, b] = parts;
        if (parts.length === 1 && a !== undefined) return a;
        if (parts.length === 2 && a !== undefined && b !== undefined) return (e) => a(e) && b(e);
        return (e) => {
          for (const p of parts) if (!p(e)) return false;
          return true;
        };
      }
      case 'any': {
        const parts = [...node.of].sort((a, b) => cost(a, macros) - cost(b, macros)).map(compile);
        return (e) => {
          for (const p of parts) if (p(e)) return true;
          return false;
        };
      }
      case 'macro': {
        const done = compiledMacros.get(node.name);
        if (done !== undefined) return done;
        const macro = macros.get(node.name);
        if (macro === undefined || compiling.has(node.name)) throw new InternalError(`macro ${node.name} is unknown or cyclic; the policy was not checked`);
        compiling.add(node.name);
        const predicate = compile(macro.match);
        compiling.delete(node.name);
        compiledMacros.set(node.name, predicate);
        return predicate;
      }
    }
  };
  // Three-valued logic on two predicates: `sure` holds when the node holds whatever the
  // result, `maybe` when it holds for some result. A `not` turns one into the other.
  const bounded = new Map<string, Predicate>();
  const bound = (node: MatchNode, sure: boolean): Predicate => {
    switch (node.kind) {
      case 'test':
        return FIELDS_BY_NAME.get(node.field)?.result === true ? (sure ? NEVER : ALWAYS) : compileTest(node, lists);
      case 'not': {
        const inner = bound(node.of, !sure);
        return (e) => !inner(e);
      }
      case 'all': {
        const parts = node.of.map((c) => bound(c, sure));
        return (e) => parts.every((p) => p(e));
      }
      case 'any': {
        const parts = node.of.map((c) => bound(c, sure));
        return (e) => parts.some((p) => p(e));
      }
      case 'macro': {
        const key = `${sure ? 'sure' : 'maybe'}:${node.name}`;
        const done = bounded.get(key);
        if (done !== undefined) return done;
        const macro = macros.get(node.name);
        if (macro === undefined || compiling.has(key)) throw new InternalError(`macro ${node.name} is unknown or cyclic; the policy was not checked`);
        compiling.add(key);
        const predicate = bound(macro.match, sure);
        compiling.delete(key);
        bounded.set(key, predicate);
        return predicate;
      }
    }
  };
  return { compile, compileUnfinished: (node) => bound(node, true) };
}
