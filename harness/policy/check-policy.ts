/**
 * Step 3 of loading: cross-checks on the merged policy that no single file
 * can settle. Unknown macros and lists (with a did-you-mean), macro cycles,
 * list items that are not valid values of the field they test, message
 * fields that do not exist; and, as warnings, tests that can never hold.
 */
import type { PolicyProblem } from '../errors.js';
import { suggestion } from '../schema/did-you-mean.js';
import { FIELDS_BY_NAME } from './event-fields.js';
import { classesOf, walkTests } from './match-analysis.js';
import { patternError } from './match-patterns.js';
import { valuesText } from './match-schema.js';
import { parseTemplate, TEMPLATE_FIELDS } from './message-template.js';
import { problemAt } from './merge-layers.js';
import type { MatchNode, Policy, PolicyRule } from './policy.js';
import { checkRiskyCommands } from './risky-commands.js';

export interface CheckResult {
  readonly problems: readonly PolicyProblem[];
  readonly warnings: readonly PolicyProblem[];
}

type Test = Extract<MatchNode, { kind: 'test' }>;

function* walkNodes(node: MatchNode): Generator<MatchNode> {
  yield node;
  if (node.kind === 'all' || node.kind === 'any') for (const c of node.of) yield* walkNodes(c);
  else if (node.kind === 'not') yield* walkNodes(node.of);
}

function checkTest(test: Test, policy: Policy, problems: PolicyProblem[]): void {
  const field = FIELDS_BY_NAME.get(test.field);
  if (field === undefined || !(test.op === 'in' || test.op === 'glob' || test.op === 'regex' || test.op === 'command')) return;
  const value = test.value;
  const listNames = [...policy.lists.keys()];
  const checkItem = (item: string, fromList?: string): void => {
    const origin = fromList === undefined ? '' : ` (from list \`${fromList}\`)`;
    if (test.op === 'glob' || test.op === 'regex') {
      // Patterns written in the file were checked by the schema; these came from a list.
      const why = patternError(test.op, item);
      if (why !== undefined) problems.push(problemAt(test.at, `Expected \`${test.op}\` items to be valid patterns, got \`${item}\`${origin}: ${why}`));
      return;
    }
    if (field.type === 'number' && !Number.isFinite(Number(item))) {
      problems.push(problemAt(test.at, `Expected \`${test.field}\` values to be numbers, got \`${item}\` (string)${origin}`));
    } else if (field.values !== undefined && !field.values.has(item)) {
      problems.push(
        problemAt(test.at, `Expected \`${test.field}\` to be ${valuesText(field)}, got \`${item}\` (string)${origin}${suggestion(item, field.values)}`),
      );
    }
  };
  if (typeof value === 'object' && 'list' in value) {
    const list = policy.lists.get(value.list);
    if (list === undefined) problems.push(problemAt(test.at, `Unknown list \`${value.list}\`${suggestion(value.list, listNames)}`));
    else for (const item of list.items) checkItem(item, list.name);
    return;
  }
  if (!Array.isArray(value)) return;
  for (const item of value as readonly (string | number)[]) {
    if (typeof item !== 'string') continue;
    const list = policy.lists.get(item);
    if (list !== undefined) {
      for (const i of list.items) checkItem(i, list.name);
    } else if (test.op === 'in' && field.type === 'number') {
      // A string among numbers passed the schema only because it might name a list.
      problems.push(problemAt(test.at, `Unknown list \`${item}\`${suggestion(item, listNames)}`));
    } else if (test.op === 'in' && field.values !== undefined && !field.values.has(item)) {
      const near = suggestion(item, [...field.values, ...listNames]);
      problems.push(problemAt(test.at, `Expected \`${test.field}\` to be ${valuesText(field)} or a list name, got \`${item}\` (string)${near}`));
    }
  }
}

function checkTree(root: MatchNode, policy: Policy, problems: PolicyProblem[]): void {
  for (const node of walkNodes(root)) {
    if (node.kind === 'macro' && !policy.macros.has(node.name)) {
      problems.push(problemAt(node.at, `Unknown macro \`${node.name}\`${suggestion(node.name, policy.macros.keys())}`));
    } else if (node.kind === 'test') checkTest(node, policy, problems);
  }
}

function checkCycles(policy: Policy, problems: PolicyProblem[]): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const macro = policy.macros.get(name);
    if (macro === undefined || state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      problems.push(problemAt(macro.at, `Macro cycle: ${cycle.map((n) => `\`${n}\``).join(' -> ')}`));
      return;
    }
    state.set(name, 'visiting');
    for (const node of walkNodes(macro.match)) if (node.kind === 'macro') visit(node.name, [...trail, name]);
    state.set(name, 'done');
  };
  for (const name of policy.macros.keys()) visit(name, []);
}

function checkRule(rule: PolicyRule, policy: Policy, problems: PolicyProblem[], warnings: PolicyProblem[]): void {
  checkTree(rule.match, policy, problems);
  for (const e of rule.exceptions) checkTree(e.match, policy, problems);
  for (const error of parseTemplate(rule.message).errors) {
    const near = error.field === undefined ? '' : suggestion(error.field, TEMPLATE_FIELDS);
    problems.push(problemAt(rule.at && { ...rule.at, path: `${rule.at.path}.message` }, `${error.message}${near}`));
  }
  const classes = classesOf(rule.match, policy.macros, policy.lists);
  if (classes.size === 0) {
    warnings.push(problemAt(rule.at, `Rule \`${rule.id}\` can never match: its tests require event classes that exclude each other`));
    return;
  }
  for (const test of walkTests(rule.match, policy.macros)) {
    const carriers = FIELDS_BY_NAME.get(test.field)?.classes;
    if (carriers !== undefined && ![...classes].some((c) => carriers.includes(c)) && !(test.op === 'exists' && test.value === false)) {
      warnings.push(
        problemAt(test.at, `\`${test.field}\` is only set on ${carriers.join(', ')} events, which rule \`${rule.id}\` never matches; this test never holds`),
      );
    }
  }
}

export function checkPolicy(policy: Policy): CheckResult {
  const problems: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  for (const macro of policy.macros.values()) checkTree(macro.match, policy, problems);
  checkCycles(policy, problems);
  for (const rule of policy.rules) checkRule(rule, policy, problems, warnings);
  checkRiskyCommands(policy.riskyCommands, policy.lists, problems);
  return { problems, warnings };
}
