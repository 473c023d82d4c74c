/**
 * Compiles a checked policy once into closures indexed by event class, so
 * each event of a large trace meets only the rules that can fire on it and
 * pays for a few property reads and function calls. Findings are built only
 * when a rule fires.
 */
import type { EventClass, EventInterest, ModelEvent, PolicyEvent, ProcessOrigin } from '../model/model-event.js';
import type { Tree } from '../contract/run-metadata.js';
import type { Phase } from '../contract/run-metadata.js';
import { createMatchCompiler, type Predicate } from './compile-match.js';
import { describeTarget } from './describe-target.js';
import { EVENT_CLASSES } from './event-fields.js';
import { callEvidence, type CallFinding, type Finding, type Severity } from './finding.js';
import { classesOf, pathTreesOf } from './match-analysis.js';
import { compileTemplate, type RenderTemplate } from './message-template.js';
import type { Policy } from './policy.js';
import { policyHash } from './policy-hash.js';
import { tracedSyscalls } from './traced-syscalls.js';

/** What a report needs to know about a rule. */
export interface RuleInfo {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly reference: string;
  readonly description: string;
  readonly enabled: boolean;
  /** Its findings are capture gaps too (`PolicyRule.gap`). */
  readonly gap: boolean;
}

export type FindingSink = (finding: Finding) => void;

export interface CompiledPolicy {
  readonly identity: { readonly name: string; readonly version: string };
  /** `sha256:<hex>` over the normalised merged policy. */
  readonly policyHash: string;
  readonly policy: Policy;
  /** Every rule, enabled or not, in definition order. */
  readonly rules: readonly RuleInfo[];
  /** The syscalls the enabled rules need traced (see `tracedSyscalls`). */
  readonly syscalls: readonly string[];
  /**
   * The model events the enabled rules can fire on (by class, and for path
   * events by `path.tree`): a model given it skips building the rest.
   */
  readonly interest: EventInterest;
  /** The findings `event` raises; a shared empty array when none. */
  evaluate(event: PolicyEvent): readonly Finding[];
  /** Hands each finding to `sink`; returns how many there were. */
  evaluateInto(event: PolicyEvent, sink: FindingSink): number;
  /**
   * The rules `event` fires, in the order `evaluate` gives their findings (a
   * shared empty array when none), without building the findings: a caller
   * that keeps only some of them builds those with `findingOf`.
   */
  fired(event: PolicyEvent): readonly RuleInfo[];
  /** The finding `rule` (from `fired`) raises on `event`: on a model event, a finding on its call. */
  findingOf(rule: RuleInfo, event: ModelEvent): CallFinding;
  findingOf(rule: RuleInfo, event: PolicyEvent): Finding;
}

interface CompiledRule {
  readonly info: RuleInfo;
  readonly origins: ReadonlySet<ProcessOrigin>;
  readonly phases: ReadonlySet<Phase>;
  readonly test: Predicate;
  readonly exceptions: readonly Predicate[];
  /** The same for an event whose call never returned: what holds whatever its result (compile-match.ts). */
  readonly unfinished: { readonly test: Predicate; readonly exceptions: readonly Predicate[] };
  readonly render: RenderTemplate;
}

const NONE: readonly Finding[] = Object.freeze([]);
const NO_RULES: readonly RuleInfo[] = Object.freeze([]);

function applies(rule: CompiledRule, event: PolicyEvent): boolean {
  if (!rule.origins.has(event.process.origin)) return false;
  // A run whose phase is unknown gets every rule: an exemption needs evidence.
  if (event.phase !== undefined && !rule.phases.has(event.phase)) return false;
  // An attempt counts: a call that never returned fires what does not hang on its result,
  // and an exception excuses it only when it holds whatever the result.
  const tests = event.unfinished === true ? rule.unfinished : rule;
  if (!tests.test(event)) return false;
  for (const exception of tests.exceptions) if (exception(event)) return false;
  return true;
}

function toFinding(rule: CompiledRule, event: PolicyEvent): Finding {
  const info = rule.info;
  const target = describeTarget(event);
  if (event.class === 'coverage') {
    const c = event.coverage;
    return {
      rule: info.id,
      severity: info.severity,
      title: info.title,
      message: rule.render(event, { rule: info.id, title: info.title, target }),
      // The section that makes the command risky, when its entry names one.
      reference: c.reference !== undefined && c.reference !== '' ? c.reference : info.reference,
      ...(event.phase === undefined ? {} : { phase: event.phase }),
      coverage: {
        line: c.number,
        text: c.text,
        ...(c.ran === undefined ? {} : { ran: c.ran }),
        ...(c.risk === undefined ? {} : { risk: c.risk }),
        ...(c.command === undefined ? {} : { command: c.command }),
        ...(c.why === undefined ? {} : { why: c.why }),
        traceLines: c.traceLines ?? [],
      },
      process: event.process,
      location: event.location,
      ...(target === undefined ? {} : { target }),
      detail: event,
    };
  }
  return {
    rule: info.id,
    severity: info.severity,
    title: info.title,
    message: rule.render(event, { rule: info.id, title: info.title, target }),
    reference: info.reference,
    ...(event.phase === undefined ? {} : { phase: event.phase }),
    event: callEvidence(event),
    process: event.process,
    ...(event.location === undefined ? {} : { location: event.location }),
    ...(target === undefined ? {} : { target }),
    detail: event,
  };
}

export function compilePolicy(policy: Policy): CompiledPolicy {
  const compiler = createMatchCompiler(policy.lists, policy.macros);
  const byClass = new Map<string, CompiledRule[]>(EVENT_CLASSES.map((c) => [c, []]));
  // Rules that can match any class also get events of a class the model adds later.
  const anyClass: CompiledRule[] = [];
  const byInfo = new Map<RuleInfo, CompiledRule>();
  const interest = new Map<EventClass, Set<Tree> | 'all'>();
  for (const rule of policy.rules) {
    if (!rule.enabled) continue;
    const compiled: CompiledRule = {
      info: { id: rule.id, severity: rule.severity, title: rule.title, reference: rule.reference, description: rule.description, enabled: true, gap: rule.gap },
      origins: new Set(rule.origins),
      phases: new Set(rule.phases),
      test: compiler.compile(rule.match),
      exceptions: rule.exceptions.map((e) => compiler.compile(e.match)),
      unfinished: {
        test: compiler.compileUnfinished(rule.match),
        exceptions: rule.exceptions.map((e) => compiler.compileUnfinished(e.match)),
      },
      render: compileTemplate(rule.message),
    };
    byInfo.set(compiled.info, compiled);
    const classes = classesOf(rule.match, policy.macros, policy.lists);
    const anyClassRule = classes.size === EVENT_CLASSES.length;
    // Coverage events go only to rules written for them: a rule on every class (`location.line: 5`) means calls.
    for (const c of classes) if (!(anyClassRule && c === 'coverage')) byClass.get(c)?.push(compiled);
    const trees = pathTreesOf(rule.match, policy.macros, policy.lists);
    for (const c of classes) {
      const known = interest.get(c);
      if (known === 'all') continue;
      if (trees === undefined) interest.set(c, 'all');
      else if (known === undefined) interest.set(c, new Set(trees));
      else for (const t of trees) known.add(t);
    }
    if (classes.size === EVENT_CLASSES.length) anyClass.push(compiled);
  }
  const bucket = (c: EventClass): readonly CompiledRule[] => byClass.get(c) ?? anyClass;

  return {
    identity: { name: policy.name, version: policy.version },
    policyHash: policyHash(policy),
    policy,
    rules: policy.rules.map((r) => ({
      id: r.id,
      severity: r.severity,
      title: r.title,
      reference: r.reference,
      description: r.description,
      enabled: r.enabled,
      gap: r.gap,
    })),
    syscalls: tracedSyscalls(policy),
    interest: { classes: interest, otherClasses: anyClass.length > 0 },
    evaluate(event) {
      let out: Finding[] | undefined;
      for (const rule of bucket(event.class)) {
        if (applies(rule, event)) (out ??= []).push(toFinding(rule, event));
      }
      return out ?? NONE;
    },
    evaluateInto(event, sink) {
      let count = 0;
      for (const rule of bucket(event.class)) {
        if (applies(rule, event)) {
          sink(toFinding(rule, event));
          count++;
        }
      }
      return count;
    },
    fired(event) {
      let out: RuleInfo[] | undefined;
      for (const rule of bucket(event.class)) {
        if (applies(rule, event)) (out ??= []).push(rule.info);
      }
      return out ?? NO_RULES;
    },
    // toFinding makes a call finding of every model event (only coverage events make the other kind).
    findingOf: ((info: RuleInfo, event: PolicyEvent): Finding => {
      const rule = byInfo.get(info);
      if (rule === undefined) throw new Error(`findingOf: ${info.id} is not an enabled rule of this policy`);
      return toFinding(rule, event);
    }) as CompiledPolicy['findingOf'],
  };
}
