/**
 * How a variant is named in the report: what must hold for its findings
 * (`only when /var/run/acmeagt.pid exists`) and what it did to make it so
 * (`variant 2 created it holding the pid of stand-in daemon acmeagt`).
 */
import type { ChangeRecord } from '../contract/exploration-record.js';

export function describeVariant(id: number, changes: readonly ChangeRecord[]): string {
  if (changes.length === 0) return `variant ${id} (no change)`;
  const conditions = changes.map((c) => c.condition).join(' and ');
  if (changes.length === 1) return `only when ${conditions}: variant ${id} ${(changes[0] as ChangeRecord).made}`;
  const made = changes.map((c) => (c.path === undefined ? c.made : `${c.path}: ${c.made}`)).join('; ');
  return `only when ${conditions}: variant ${id} made them so (${made})`;
}
