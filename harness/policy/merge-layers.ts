/**
 * Merges policy layers in order (a base, then each file that extends it):
 * later layers add lists, macros and rules, append to lists, disable rules,
 * and override severity, enabled or exceptions. Redefinitions and references
 * to things no earlier layer defined are problems, each at the place it was
 * written.
 */
import { basename } from 'node:path';
import type { PolicyProblem } from '../errors.js';
import { suggestion } from '../schema/did-you-mean.js';
import type { PolicyLayer } from './normalize-layer.js';
import type { Policy, PolicyException, PolicyLayerInfo, PolicyList, PolicyMacro, PolicyRule } from './policy.js';
import type { SourceRef } from '../schema/source-locator.js';
import { mergeRiskyCommands } from './risky-commands.js';

export interface MergeResult {
  readonly policy: Policy;
  readonly problems: readonly PolicyProblem[];
}

export function problemAt(at: SourceRef | undefined, message: string): PolicyProblem {
  return {
    file: at?.file ?? 'policy',
    path: at?.path ?? '',
    ...(at?.line === undefined ? {} : { line: at.line }),
    ...(at?.col === undefined ? {} : { col: at.col }),
    message,
  };
}

export function where(at: SourceRef | undefined): string {
  if (at === undefined) return 'an earlier layer';
  return at.line === undefined ? at.file : `${at.file}:${at.line}:${at.col ?? 1}`;
}

function layerName(layer: PolicyLayer): string {
  return layer.header?.name ?? basename(layer.file).replace(/\.ya?ml$/, '');
}

export function mergeLayers(layers: readonly PolicyLayer[]): MergeResult {
  const problems: PolicyProblem[] = [];
  const lists = new Map<string, PolicyList>();
  const macros = new Map<string, PolicyMacro>();
  const rules: PolicyRule[] = [];
  const ruleIndex = new Map<string, number>();

  const addExceptions = (rule: PolicyRule, added: readonly PolicyException[]): PolicyRule => {
    const seen = new Map(rule.exceptions.map((e) => [e.name, e]));
    for (const e of added) {
      const first = seen.get(e.name);
      if (first !== undefined) problems.push(problemAt(e.at, `Duplicate exception \`${e.name}\` in rule \`${rule.id}\` (first defined at ${where(first.at)})`));
      seen.set(e.name, e);
    }
    return { ...rule, exceptions: [...rule.exceptions, ...added] };
  };
  const knownRule = (id: string, at: SourceRef, what: string): number | undefined => {
    const index = ruleIndex.get(id);
    if (index === undefined) problems.push(problemAt(at, `Cannot ${what} unknown rule \`${id}\`${suggestion(id, ruleIndex.keys())}`));
    return index;
  };

  for (const layer of layers) {
    for (const list of layer.lists) {
      const first = lists.get(list.name);
      if (first !== undefined) {
        problems.push(problemAt(list.at, `List \`${list.name}\` is already defined at ${where(first.at)}; add items with \`append-lists\``));
      } else lists.set(list.name, list);
    }
    for (const macro of layer.macros) {
      const first = macros.get(macro.name);
      if (first !== undefined) problems.push(problemAt(macro.at, `Macro \`${macro.name}\` is already defined at ${where(first.at)}`));
      else macros.set(macro.name, macro);
    }
    for (const rule of layer.rules) {
      const index = ruleIndex.get(rule.id);
      if (index !== undefined) {
        problems.push(problemAt(rule.at, `Duplicate rule id \`${rule.id}\` (first defined at ${where(rules[index]?.at)})`));
        continue;
      }
      ruleIndex.set(rule.id, rules.length);
      rules.push(addExceptions({ ...rule, exceptions: [] }, rule.exceptions));
    }
    for (const append of layer.appendLists) {
      const list = lists.get(append.name);
      if (list === undefined) {
        problems.push(problemAt(append.at, `Cannot append to unknown list \`${append.name}\`${suggestion(append.name, lists.keys())}`));
      } else lists.set(append.name, { ...list, items: [...new Set([...list.items, ...append.items])] });
    }
    for (const { id, at } of layer.disable) {
      const index = knownRule(id, at, 'disable');
      const rule = index === undefined ? undefined : rules[index];
      if (index !== undefined && rule !== undefined) rules[index] = { ...rule, enabled: false };
    }
    for (const o of layer.overrides) {
      const index = knownRule(o.id, o.at, 'override');
      const rule = index === undefined ? undefined : rules[index];
      if (index === undefined || rule === undefined) continue;
      rules[index] = addExceptions(
        { ...rule, ...(o.severity === undefined ? {} : { severity: o.severity }), ...(o.enabled === undefined ? {} : { enabled: o.enabled }) },
        o.exceptions,
      );
    }
  }

  const base = layers[0];
  if (base !== undefined && base.header === undefined) {
    problems.push(
      problemAt(
        { file: base.file, path: '', line: 1, col: 1 },
        'Expected the base policy to have a `policy` header with `name` and `version`, or to `extends` another policy',
      ),
    );
  }
  const info: PolicyLayerInfo[] = layers.map((l) => ({
    name: layerName(l),
    ...(l.header === undefined ? {} : { version: l.header.version }),
    file: l.file,
  }));
  const policy: Policy = {
    name: info.map((l) => l.name).join('+'),
    version: base?.header?.version ?? '0',
    description: base?.header?.description ?? '',
    layers: info,
    lists,
    macros,
    rules,
    riskyCommands: mergeRiskyCommands(
      layers.map((l) => l.riskyCommands),
      problems,
    ),
  };
  return { policy, problems };
}
