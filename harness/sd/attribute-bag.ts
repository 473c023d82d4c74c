/**
 * Attributes of one software object as a reader meets them, and their typed
 * reading into the model: booleans, lists, dependencies, with sd(4)'s
 * defaults. PSF and INDEX readers share it, so a fileset means the same
 * whichever file described it.
 */
import type { Token } from './definition-lexer.js';
import type { Attributes, Dependency, DependencyKind, SourceRef } from './package.js';
import type { ProblemList } from './sd-input-error.js';
import { parseDependencySpec } from './software-spec.js';

export interface AttributeValue {
  readonly value: string;
  /** The value's tokens (for lists and positions). */
  readonly tokens: readonly Token[];
  readonly line: number;
  readonly col: number;
}

/** Layout 0.8 wrote dependencies in the singular (SD Administration Guide 2010, 10.4.2.2). */
const DEPENDENCY_KEYWORDS: Readonly<Record<string, DependencyKind>> = {
  prerequisite: 'prerequisite',
  prerequisites: 'prerequisite',
  corequisite: 'corequisite',
  corequisites: 'corequisite',
  exrequisite: 'exrequisite',
  exrequisites: 'exrequisite',
};

/** Keywords whose value is a whitespace-separated list, and which may continue on following lines. */
export const LIST_KEYWORDS: ReadonlySet<string> = new Set([
  ...Object.keys(DEPENDENCY_KEYWORDS),
  'ancestor',
  'supersedes',
  'superseded_by',
  'category_tag',
  'contents',
  'all_filesets',
  'applied_patches',
]);

export class AttributeBag {
  private readonly values = new Map<string, AttributeValue[]>();

  constructor(
    readonly file: string,
    readonly source: SourceRef,
  ) {}

  add(keyword: string, value: AttributeValue): void {
    const list = this.values.get(keyword);
    if (list === undefined) this.values.set(keyword, [value]);
    else list.push(value);
  }

  has(keyword: string): boolean {
    return this.values.has(keyword);
  }

  /** The last value given (a repeated single-valued keyword: the later one wins). */
  get(keyword: string): AttributeValue | undefined {
    const list = this.values.get(keyword);
    return list === undefined ? undefined : list[list.length - 1];
  }

  text(keyword: string): string | undefined {
    return this.get(keyword)?.value;
  }

  /** Every token of every value of a list keyword, in order. */
  list(keyword: string): Token[] {
    return (this.values.get(keyword) ?? []).flatMap((v) => v.tokens);
  }

  toAttributes(): Attributes {
    return new Map([...this.values].map(([k, v]) => [k, v.map((x) => x.value)]));
  }

  /** `true`/`false` (any case); anything else is a problem and the default is used. */
  bool(keyword: string, fallback: boolean, problems: ProblemList): boolean {
    const v = this.get(keyword);
    if (v === undefined) return fallback;
    return parseBoolean(v, keyword, fallback, this.file, problems);
  }

  /** Like `bool`, but `undefined` when the attribute is absent. */
  optionalBool(keyword: string, problems: ProblemList): boolean | undefined {
    const v = this.get(keyword);
    return v === undefined ? undefined : parseBoolean(v, keyword, false, this.file, problems);
  }

  dependencies(problems: ProblemList): Dependency[] {
    const out: Dependency[] = [];
    for (const [keyword, kind] of Object.entries(DEPENDENCY_KEYWORDS)) {
      for (const token of this.list(keyword)) {
        const parsed = parseDependencySpec(token.text);
        if (!parsed.ok) {
          problems.add(this.file, token.line, token.col, `${keyword}: ${parsed.message}`);
          continue;
        }
        out.push({ kind, spec: token.text, alternatives: parsed.alternatives, source: { file: this.file, line: token.line, col: token.col } });
      }
    }
    return out.sort((a, b) => (a.source.line ?? 0) - (b.source.line ?? 0) || (a.source.col ?? 0) - (b.source.col ?? 0));
  }
}

function parseBoolean(v: AttributeValue, keyword: string, fallback: boolean, file: string, problems: ProblemList): boolean {
  const t = v.value.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  problems.add(file, v.line, v.tokens[0]?.col ?? v.col, `${keyword}: Expected \`true\` or \`false\`, got \`${v.value}\``);
  return fallback;
}

export function isDependencyKeyword(keyword: string): boolean {
  return keyword in DEPENDENCY_KEYWORDS;
}
