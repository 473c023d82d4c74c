/**
 * Software specs as dependency attributes and selections write them:
 * `product[.fileset][,qualifier]...`, qualifiers `r>=1.0`, `a=HP-UX_B.11.31_IA`,
 * `v=HP`, `fr=2.1` (sd(5) "Software and Target Selections"; swbis sw(5)
 * "SOFTWARE SELECTIONS"), and `foo1|foo2` alternation in dependencies (swbis
 * sw(5) "Dependency Spec Examples").
 */
import type { SoftwareSpec, VersionQualifier } from './package.js';

export type ParsedSpec = { readonly ok: true; readonly spec: SoftwareSpec } | { readonly ok: false; readonly message: string };

export function parseSoftwareSpec(text: string): ParsedSpec {
  const [tags = '', ...quals] = text.split(',');
  if (tags === '') return { ok: false, message: `Expected a software spec \`product[.fileset][,r=revision]\`, got \`${text}\`` };
  const [product = '', fileset, ...extra] = tags.split('.');
  if (product === '' || fileset === '' || extra.length > 0) {
    return { ok: false, message: `Expected \`product\` or \`product.fileset\` before any \`,\`, got \`${tags}\`` };
  }
  const qualifiers: VersionQualifier[] = [];
  for (const q of quals) {
    const m = /^([A-Za-z]{1,2})(==|!=|<=|>=|=|<|>)(.*)$/.exec(q);
    if (m === null) return { ok: false, message: `Expected a version qualifier like \`r>=1.0\`, got \`${q}\`` };
    qualifiers.push({ letter: m[1]!.toLowerCase(), op: m[2] as VersionQualifier['op'], value: m[3]! });
  }
  return { ok: true, spec: { product, ...(fileset === undefined ? {} : { fileset }), qualifiers } };
}

/** The alternatives of one dependency (`a|b`), or the first problem. */
export function parseDependencySpec(
  text: string,
): { readonly ok: true; readonly alternatives: readonly SoftwareSpec[] } | { readonly ok: false; readonly message: string } {
  const alternatives: SoftwareSpec[] = [];
  for (const part of text.split('|')) {
    const parsed = parseSoftwareSpec(part);
    if (!parsed.ok) return parsed;
    alternatives.push(parsed.spec);
  }
  return { ok: true, alternatives };
}

/**
 * Compares dotted revisions field by field, numerically where both fields are
 * numbers (`B.11.31` < `B.11.31.1`, `2.10` > `2.9`). SD's own rules for
 * revision strings are in sd(5); this is the common subset.
 */
export function compareRevisions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** Whether `actual` satisfies `op value` (revisions compared with `compareRevisions`, others as text). */
export function satisfies(actual: string | undefined, q: VersionQualifier, isRevision: boolean): boolean {
  if (actual === undefined) return q.op === '!=';
  const c = isRevision ? compareRevisions(actual, q.value) : actual === q.value ? 0 : 1;
  switch (q.op) {
    case '=':
    case '==':
      return isRevision ? c === 0 : globMatch(q.value, actual);
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

/** Shell-style `*`, `?` and `[...]` matching, as SD selections allow. */
export function globMatch(pattern: string, text: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/\\/g, '\\\\');
        re += `[${body.startsWith('!') ? '^' + body.slice(1) : body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(re + '$').test(text);
}
