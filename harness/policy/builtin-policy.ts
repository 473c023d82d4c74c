/**
 * Where the built-in policies live: `policies/<name>.yaml` at the package
 * root (the project root, never the cwd), so the CLI works from any
 * directory, from the sources under tsx and from `dist/`.
 */
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root.js';

export const BUILTIN_POLICIES = ['drd-safe'] as const;
export type BuiltinPolicyName = (typeof BUILTIN_POLICIES)[number];
export const DEFAULT_POLICY: BuiltinPolicyName = 'drd-safe';

export function isBuiltinPolicy(name: string): name is BuiltinPolicyName {
  return (BUILTIN_POLICIES as readonly string[]).includes(name);
}

/** Absolute path of a built-in policy file. */
export function builtinPolicyPath(name: BuiltinPolicyName, root: string = PROJECT_ROOT): string {
  return join(root, 'policies', `${name}.yaml`);
}

/** How problems and reports name a built-in policy file: relative to the package, never host-specific. */
export function builtinPolicyDisplayName(name: BuiltinPolicyName): string {
  return `policies/${name}.yaml`;
}
