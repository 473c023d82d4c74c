/**
 * The option syntax of PSF file specifications: `-m mode`, `-u umask`,
 * `-o owner[,uid]`, `-g group[,gid]`, `-t d|h|s`, `-v` (swpackage(4)
 * "Explicit File Specification", "Default Permission Specification"), and
 * HP's `a = b` spelling of `a=b`.
 */
import type { Token } from './definition-lexer.js';
import type { PayloadType } from './package.js';
import type { ProblemList } from './sd-input-error.js';

export interface Owner {
  readonly name?: string;
  readonly id?: number;
}

export interface FileOptions {
  readonly m?: number;
  readonly u?: number;
  readonly o?: Owner;
  readonly g?: Owner;
  readonly t?: PayloadType;
  readonly v: boolean;
}

/** Parses `-m mode -o owner[,uid] -g group[,gid] -t type -v`; the rest are positional. */
export function parseFileOptions(
  tokens: readonly Token[],
  file: string,
  problems: ProblemList,
  allowed: readonly string[],
): FileOptions & { positional: Token[] } {
  const out: { m?: number; u?: number; o?: Owner; g?: Owner; t?: PayloadType; v: boolean; positional: Token[] } = { v: false, positional: [] };
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (out.positional.length > 0 || !/^-[a-z]/.test(tok.text)) {
      out.positional.push(tok);
      continue;
    }
    const flag = tok.text[1]!;
    if (!allowed.includes(flag)) {
      problems.add(file, tok.line, tok.col, `unknown option \`-${flag}\` (expected ${allowed.map((a) => `-${a}`).join(', ')})`);
      continue;
    }
    if (flag === 'v' || flag === 'n') {
      if (flag === 'v') out.v = true;
      continue;
    }
    let arg: Token | undefined;
    if (tok.text.length > 2) arg = { text: tok.text.slice(2), line: tok.line, col: tok.col + 2 };
    else arg = tokens[++i];
    if (arg === undefined) {
      problems.add(file, tok.line, tok.col, `\`-${flag}\` needs a value`);
      continue;
    }
    if (flag === 'm' || flag === 'u') {
      if (!/^[0-7]{1,5}$/.test(arg.text)) {
        problems.add(file, arg.line, arg.col, `\`-${flag}\`: Expected an octal ${flag === 'm' ? 'mode like 0755' : 'umask like 022'}, got \`${arg.text}\``);
        continue;
      }
      out[flag] = parseInt(arg.text, 8);
    } else if (flag === 'o' || flag === 'g') {
      const owner = parseOwner(arg.text);
      if (owner === undefined) problems.add(file, arg.line, arg.col, `\`-${flag}\`: Expected \`name\`, \`id\` or \`name,id\`, got \`${arg.text}\``);
      else out[flag] = owner;
    } else if (flag === 't') {
      if (!['d', 'h', 's'].includes(arg.text)) {
        problems.add(file, arg.line, arg.col, `\`-t\`: Expected \`d\`, \`h\` or \`s\`, got \`${arg.text}\``);
        continue;
      }
      out.t = arg.text as PayloadType;
    }
  }
  return out;
}

/** `name`, `id`, `name,id` or `name,` (swpackage(4): digits alone are an id). */
function parseOwner(text: string): Owner | undefined {
  const [name = '', id] = splitOnce(text, ',');
  if (id !== undefined && id !== '' && !/^\d+$/.test(id)) return undefined;
  if (id === undefined && /^\d+$/.test(name)) return { id: Number(name) };
  if (name === '' && (id === undefined || id === '')) return undefined;
  return { ...(name === '' ? {} : { name }), ...(id === undefined || id === '' ? {} : { id: Number(id) }) };
}

/** Rejoins `a = b`, `a= b` and `a =b` into one `a=b` token (HP writes `directory ./commands = /usr/sbin`). */
export function joinEquals(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  for (const t of tokens) {
    const prev = out[out.length - 1];
    if (prev !== undefined && (t.text.startsWith('=') || prev.text.endsWith('='))) {
      out[out.length - 1] = { ...prev, text: prev.text + t.text };
    } else {
      out.push(t);
    }
  }
  return out;
}

export function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
