/**
 * Where the built-in policies live: `policies/<name>.yaml` at the package
 * root, found from this module's own location (never the cwd), so the CLI
 * works from any directory, from the sources under tsx and from `dist/`.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILTIN_POLICIES = ['drd-safe'] as const;
export type BuiltinPolicyName = (typeof BUILTIN_POLICIES)[number];
export const DEFAULT_POLICY: BuiltinPolicyName = 'drd-safe';

export function isBuiltinPolicy(name: string): name is BuiltinPolicyName {
  return (BUILTIN_POLICIES as readonly string[]).includes(name);
}

/** The package root: two levels above this module (harness/policy/ or dist/policy/). */
export function packageRoot(moduleUrl: string = import.meta.url): string {
  return fileURLToPath(new URL('../../', moduleUrl));
}

/** Absolute path of a built-in policy file. */
export function builtinPolicyPath(name: BuiltinPolicyName, root: string = packageRoot()): string {
  return join(root, 'policies', `${name}.yaml`);
}

/** How problems and reports name a built-in policy file: relative to the package, never host-specific. */
export function builtinPolicyDisplayName(name: BuiltinPolicyName): string {
  return `policies/${name}.yaml`;
}
