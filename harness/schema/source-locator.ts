/**
 * Turns a path inside a parsed YAML document into the line and column it was
 * written at, so every problem with a YAML file (a policy, a waiver file, an
 * expect.yaml) can say where to look.
 */
import { isMap, isScalar, type Document, type LineCounter } from 'yaml';

/** One step of a path into a document: a mapping key or a sequence index. */
export type PathKey = string | number;

/** Where something was written. `path` is the display path inside the document, e.g. `rules[2].match`. */
export interface SourceRef {
  readonly file: string;
  readonly path: string;
  readonly line?: number;
  readonly col?: number;
}

export interface Position {
  readonly line?: number;
  readonly col?: number;
}

export interface SourceLocator {
  readonly file: string;
  /** Where the value at `path` (or its key, with `atKey`) starts; the nearest existing ancestor when it is absent. */
  position(path: readonly PathKey[], atKey?: boolean): Position;
  /** A `SourceRef` for `path`. */
  ref(path: readonly PathKey[], atKey?: boolean): SourceRef;
}

/** `rules[2].match.all[0].signal.number`. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? key : `.${key}`;
  return out;
}

function rangeStart(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: readonly number[] | null }).range;
  return range?.[0];
}

export function createLocator(file: string, doc: Document, lineCounter: LineCounter): SourceLocator {
  const offsetOf = (path: readonly PathKey[], atKey: boolean): number | undefined => {
    if (atKey && path.length > 0) {
      const parent: unknown = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
      const last = path[path.length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
        const start = pair === undefined ? undefined : rangeStart(pair.key);
        if (start !== undefined) return start;
      }
    }
    const node: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
    return rangeStart(node);
  };
  const position = (path: readonly PathKey[], atKey = false): Position => {
    for (let depth = path.length; depth >= 0; depth--) {
      const offset = offsetOf(path.slice(0, depth), atKey && depth === path.length);
      if (offset !== undefined) {
        const { line, col } = lineCounter.linePos(offset);
        return { line, col };
      }
    }
    return {};
  };
  return {
    file,
    position,
    ref: (path, atKey = false) => ({ file, path: formatPath(path), ...position(path, atKey) }),
  };
}
