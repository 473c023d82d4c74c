/**
 * The policy engine: load YAML policies (built-in `drd-safe` and user layers),
 * compile them once, and evaluate normalised model events into findings.
 */
export type { Finding, Severity } from './finding.js';
export type {
  ListRef,
  MatchNode,
  Operator,
  Policy,
  PolicyException,
  PolicyLayerInfo,
  PolicyList,
  PolicyMacro,
  PolicyRule,
  SourceRef,
  TestValue,
} from './policy.js';
export { OPERATORS, OPERATOR_ALIASES } from './policy.js';
export { loadPolicy, readPolicy, type LoadPolicyOptions, type PolicyLoadResult } from './load-policy.js';
export { compilePolicy, type CompiledPolicy, type FindingSink, type RuleInfo } from './compile-policy.js';
export { tracedSyscalls, MODEL_REQUIRED_SYSCALLS, CLASS_SYSCALLS } from './traced-syscalls.js';
export { policyHash } from './policy-hash.js';
export {
  BUILTIN_POLICIES,
  DEFAULT_POLICY,
  builtinPolicyPath,
  builtinPolicyDisplayName,
  isBuiltinPolicy,
  type BuiltinPolicyName,
} from './builtin-policy.js';
export { describeTarget, formatArgv, formatEndpoint } from './describe-target.js';
export { EVENT_CLASSES, EVENT_FIELDS, type EventField, type FieldType } from './event-fields.js';
export { DEFAULT_PHASES, EXEMPT_PHASES, SEVERITIES } from './policy-schema.js';
export { X86_64_SYSCALLS } from './x86-64-syscalls.js';
