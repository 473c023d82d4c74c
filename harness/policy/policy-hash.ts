/**
 * A stable fingerprint of a merged policy for reports: sha256 over a
 * canonical JSON of what decides findings (lists, macros, rules with their
 * matches, exceptions and messages). Source positions and file paths are
 * left out, so moving or reformatting a file keeps the hash; changing any
 * rule, list item or severity changes it.
 */
import { createHash } from 'node:crypto';
import type { Policy } from './policy.js';

/** Bump when the meaning of a normalised policy changes without its text changing. */
const HASH_FORMAT = 1;

function canonical(value: unknown): unknown {
  if (value instanceof Map) {
    return Object.fromEntries([...value.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)).map(([k, v]) => [String(k), canonical(v)]));
  }
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([k, v]) => k !== 'at' && v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** `sha256:<hex>`. */
export function policyHash(policy: Policy): string {
  const subject = {
    format: HASH_FORMAT,
    name: policy.name,
    version: policy.version,
    lists: policy.lists,
    macros: policy.macros,
    rules: policy.rules,
    // Only when there are any: the hash of a policy without them is what it was before they existed.
    ...(policy.riskyCommands.length > 0 ? { riskyCommands: policy.riskyCommands } : {}),
  };
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(canonical(subject)))
    .digest('hex')}`;
}
