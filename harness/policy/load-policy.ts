/**
 * Loads and merges policy files: no files means the built-in `drd-safe`;
 * each file is a layer merged in order, and a file's `extends` (a built-in
 * name or a path relative to that file) is merged once, before it. Every
 * problem of every file comes back at once: syntax and schema; then, when
 * every file parsed, merge and cross-checks together.
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { PolicyError, UserError, type PolicyProblem } from '../errors.js';
import { builtinPolicyDisplayName, builtinPolicyPath, BUILTIN_POLICIES, DEFAULT_POLICY, isBuiltinPolicy } from './builtin-policy.js';
import { checkPolicy } from './check-policy.js';
import { suggestion } from '../schema/did-you-mean.js';
import { mergeLayers, problemAt } from './merge-layers.js';
import type { PolicyLayer } from './normalize-layer.js';
import { parsePolicyFile } from './parse-policy-file.js';
import { readListFiles } from './list-file.js';
import type { Policy } from './policy.js';
import type { SourceRef } from '../schema/source-locator.js';

export interface LoadPolicyOptions {
  /** Directory that relative file names are resolved against. Default: `process.cwd()`. */
  readonly cwd?: string;
  /** Package root holding `policies/`. Default: found from this module's URL. */
  readonly packageRoot?: string;
}

export type PolicyLoadResult =
  | { readonly ok: true; readonly policy: Policy; readonly warnings: readonly PolicyProblem[] }
  | { readonly ok: false; readonly problems: readonly PolicyProblem[]; readonly warnings: readonly PolicyProblem[] };

interface Source {
  readonly abs: string;
  readonly display: string;
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}

/** Everything `loadPolicy` finds, without throwing for policy problems. */
export async function readPolicy(files: readonly string[], options: LoadPolicyOptions = {}): Promise<PolicyLoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const builtin = (name: (typeof BUILTIN_POLICIES)[number]): Source => ({
    abs: builtinPolicyPath(name, options.packageRoot),
    display: builtinPolicyDisplayName(name),
  });
  const layers: PolicyLayer[] = [];
  const problems: PolicyProblem[] = [];
  const warnings: PolicyProblem[] = [];
  const done = new Set<string>();
  const stack: string[] = [];

  const resolveExtends = (ref: string, from: Source, at: SourceRef): Source | undefined => {
    if (isBuiltinPolicy(ref)) return builtin(ref);
    if (!ref.includes('/') && !/\.ya?ml$/.test(ref)) {
      problems.push(
        problemAt(at, `Unknown built-in policy \`${ref}\`${suggestion(ref, BUILTIN_POLICIES)} (a file path must contain \`/\` or end in \`.yaml\`)`),
      );
      return undefined;
    }
    const abs = resolve(dirname(from.abs), ref);
    return { abs, display: relative(cwd, abs) || abs };
  };

  const include = async (source: Source, from?: SourceRef): Promise<void> => {
    if (stack.includes(source.abs)) {
      problems.push(problemAt(from, `Extends cycle: ${[...stack.slice(stack.indexOf(source.abs)), source.abs].map((f) => relative(cwd, f)).join(' -> ')}`));
      return;
    }
    if (done.has(source.abs)) return;
    let text: string;
    try {
      text = await readFile(source.abs, 'utf8');
    } catch (error) {
      if (from !== undefined) {
        problems.push(problemAt(from, `Cannot read extended policy \`${source.display}\`${isMissing(error) ? ': no such file' : ''}`));
        return;
      }
      if (isMissing(error)) {
        throw new UserError('INPUT_NOT_FOUND', `policy file not found: ${source.display}`, { cause: error, hint: 'check the --policy path' });
      }
      throw new UserError('INPUT_INVALID', `cannot read policy file: ${source.display}`, { cause: error });
    }
    const parsed = parsePolicyFile(text, source.display);
    problems.push(...parsed.problems);
    warnings.push(...parsed.warnings);
    if (parsed.layer === undefined) {
      done.add(source.abs);
      return;
    }
    const layer = await readListFiles(parsed.layer, source.abs, problems);
    stack.push(source.abs);
    const base = layer.extends;
    const target = base === undefined ? undefined : resolveExtends(base.ref, source, base.at);
    if (base !== undefined && target !== undefined) await include(target, base.at);
    stack.pop();
    done.add(source.abs);
    layers.push(layer);
  };

  if (files.length === 0) await include(builtin(DEFAULT_POLICY));
  for (const file of files) await include({ abs: resolve(cwd, file), display: file });
  if (problems.length > 0) return { ok: false, problems, warnings };

  // Merge problems leave the first definition in place, so the cross-checks
  // still run on a coherent policy and both kinds are reported together.
  const merged = mergeLayers(layers);
  const checked = checkPolicy(merged.policy);
  warnings.push(...checked.warnings);
  const all = [...merged.problems, ...checked.problems];
  if (all.length > 0) return { ok: false, problems: all, warnings };
  return { ok: true, policy: { ...merged.policy, warnings }, warnings };
}

/**
 * The merged, checked policy of `files` (none = the built-in `drd-safe`).
 * Throws `PolicyError` carrying every problem, or `UserError`
 * `INPUT_NOT_FOUND` naming a file that does not exist.
 */
export async function loadPolicy(files: readonly string[] = [], options: LoadPolicyOptions = {}): Promise<Policy> {
  const result = await readPolicy(files, options);
  if (!result.ok) throw new PolicyError(result.problems);
  return result.policy;
}
