/**
 * Parses a control script once with mvdan/sh (the `mvdan-sh` package: its Go
 * parser compiled to JavaScript), in its mksh dialect, the one closest to
 * HP-UX's POSIX sh and ksh (`function NAME {`, `[[ ]]`, `typeset`, `print`,
 * `|&`, `set -A`, extended globs, `<>` redirections); a script mksh rejects
 * (ksh93's `for ((;;))`) is tried again as bash. The README's "Script
 * coverage" section has the measurement that chose it. The result is the
 * script's outline (script-outline.ts).
 */
import { createRequire } from 'node:module';
import type { Node } from 'mvdan-sh';
import type { CommandKind, FunctionDef, Guard, ScriptCommand, ScriptOutline, ScriptWord } from './script-outline.js';
import type { Mutable } from '../mutable.js';

/** mvdan/sh's token values (syntax/tokens.go), as its JavaScript build gives them. */
const AND = 10;
const OR = 11;
const REDIRECT_OPS: Readonly<Record<number, string>> = {
  54: '>',
  55: '>>',
  56: '<',
  57: '<>',
  58: '<&',
  59: '>&',
  60: '>|',
  61: '<<',
  62: '<<-',
  63: '<<<',
  64: '&>',
  65: '&>>',
};

/** The parse failed: where and why. */
export class ScriptParseError extends Error {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`line ${line}:${col}: ${reason}`);
    this.name = 'ScriptParseError';
  }
}

type Syntax = typeof import('mvdan-sh').syntax;
let loaded: Syntax | undefined;

/** Loaded on first use: the analysis of a trace without script text never pays for it. */
function syntax(): Syntax {
  loaded ??= (createRequire(import.meta.url)('mvdan-sh') as typeof import('mvdan-sh')).syntax;
  return loaded;
}

function field<T>(node: unknown, name: string): T {
  return (node as Record<string, unknown>)[name] as T;
}

function list(node: unknown, name: string): Node[] {
  return (field<Node[] | null | undefined>(node, name) ?? []) as Node[];
}

/** The outline of `text`; throws ScriptParseError when neither dialect parses it. */
export function parseScript(text: string): ScriptOutline {
  const sx = syntax();
  let file: Node;
  let dialect: ScriptOutline['dialect'] = 'mksh';
  try {
    file = sx.NewParser(sx.Variant(sx.LangMirBSDKorn)).Parse(text, 'script');
  } catch (first) {
    try {
      file = sx.NewParser(sx.Variant(sx.LangBash)).Parse(text, 'script');
      dialect = 'bash';
    } catch {
      throw toParseError(first);
    }
  }
  return new OutlineBuilder(sx, text, dialect).build(file);
}

function toParseError(error: unknown): ScriptParseError {
  const pos = field<{ Line(): number; Col(): number } | undefined>(error, 'Pos');
  const reason = field<string | undefined>(error, 'Text') ?? String(error);
  return new ScriptParseError(pos?.Line() ?? 1, pos?.Col() ?? 1, reason);
}

interface Context {
  readonly guards: readonly Guard[];
  readonly fn?: string;
  readonly stale: boolean;
  readonly background?: boolean;
}

class OutlineBuilder {
  private readonly commands: ScriptCommand[] = [];
  private readonly functions = new Map<string, FunctionDef>();
  private readonly bytes: Buffer;

  constructor(
    private readonly sx: Syntax,
    text: string,
    private readonly dialect: ScriptOutline['dialect'],
  ) {
    this.bytes = Buffer.from(text, 'utf8');
  }

  build(file: Node): ScriptOutline {
    this.stmts(list(file, 'Stmts'), { guards: [], stale: false });
    const byLine = new Map<number, ScriptCommand[]>();
    for (const c of this.commands) {
      const at = byLine.get(c.line);
      if (at === undefined) byLine.set(c.line, [c]);
      else at.push(c);
    }
    return { commands: this.commands, byLine, functions: this.functions, dialect: this.dialect };
  }

  /** Source text between two byte offsets (mvdan/sh counts bytes). */
  private textOf(node: Node): string {
    return this.bytes.subarray(node.Pos().Offset(), node.End().Offset()).toString('utf8');
  }

  /** A command's text with its redirections (`exec 2>/dev/null`), which mvdan/sh keeps on the statement. */
  private sourceOf(node: Node, redirects: readonly Node[]): string {
    let end = node.End().Offset();
    for (const r of redirects) end = Math.max(end, r.End().Offset());
    return this.bytes.subarray(node.Pos().Offset(), end).toString('utf8');
  }

  private type(node: Node): string {
    return this.sx.NodeType(node);
  }

  /** Walks statements; returns the indexes of the commands they hold. */
  private stmts(stmts: readonly Node[], ctx: Context): number[] {
    const found: number[] = [];
    for (const s of stmts) found.push(...this.stmt(s, ctx));
    return found;
  }

  private stmt(stmt: Node, outer: Context): number[] {
    const before = this.commands.length;
    const ctx = field<boolean>(stmt, 'Background') || field<boolean>(stmt, 'Coprocess') ? { ...outer, background: true } : outer;
    const cmd = field<Node | null>(stmt, 'Cmd');
    const redirects = list(stmt, 'Redirs');
    if (cmd !== null && cmd !== undefined) this.command(cmd, redirects, ctx);
    else if (redirects.length > 0) this.simple(stmt, 'call', undefined, [], redirects, [], ctx);
    // Substitutions in a compound command's redirections (`done < $(...)`) run with it.
    if (cmd !== null && cmd !== undefined && this.type(cmd) !== 'CallExpr') for (const r of redirects) this.redirectWords(r, ctx);
    return range(before, this.commands.length);
  }

  private command(cmd: Node, redirects: readonly Node[], ctx: Context): void {
    switch (this.type(cmd)) {
      case 'CallExpr': {
        const args = list(cmd, 'Args');
        const assigns = list(cmd, 'Assigns');
        this.simple(cmd, 'call', args[0], args.slice(1), redirects, assigns, ctx);
        return;
      }
      case 'DeclClause': {
        const variant = field<Node>(cmd, 'Variant');
        const name = { text: field<string>(variant, 'Value'), literal: true };
        this.simple(cmd, 'decl', name, [], redirects, list(cmd, 'Args'), ctx);
        return;
      }
      case 'TestClause':
        this.simple(cmd, 'test', { text: '[[', literal: true }, [], redirects, [], ctx, field<Node>(cmd, 'X'));
        return;
      case 'ArithmCmd':
        this.simple(cmd, 'arith', { text: '((', literal: true }, [], redirects, [], ctx, field<Node>(cmd, 'X'));
        return;
      case 'LetClause':
        this.simple(cmd, 'let', { text: 'let', literal: true }, [], redirects, [], ctx, ...list(cmd, 'Exprs'));
        return;
      case 'IfClause':
        this.ifClause(cmd, ctx, []);
        return;
      case 'WhileClause': {
        const cond = this.stmts(list(cmd, 'Cond'), ctx);
        const until = field<boolean>(cmd, 'Until');
        const guard: Guard = {
          kind: 'loop',
          line: cmd.Pos().Line(),
          text: this.condText(list(cmd, 'Cond')),
          deciders: cond,
          ...(until ? { detail: 'until' } : {}),
        };
        this.stmts(list(cmd, 'Do'), { ...ctx, guards: [...ctx.guards, guard] });
        return;
      }
      case 'ForClause': {
        const loop = field<Node>(cmd, 'Loop');
        let deciders: number[] = [];
        let text = '';
        if (this.type(loop) === 'WordIter') {
          const items = list(loop, 'Items');
          deciders = items.flatMap((w) => this.wordCommands(w, ctx));
          text = `${String(field<string>(field<Node>(loop, 'Name'), 'Value'))} in ${items.map((w) => this.textOf(w)).join(' ')}`;
        } else text = this.textOf(loop);
        const guard: Guard = { kind: 'for', line: cmd.Pos().Line(), text, deciders };
        this.stmts(list(cmd, 'Do'), { ...ctx, guards: [...ctx.guards, guard] });
        return;
      }
      case 'CaseClause': {
        const word = field<Node>(cmd, 'Word');
        const deciders = this.wordCommands(word, { ...ctx, stale: true });
        for (const item of list(cmd, 'Items')) {
          const patterns = list(item, 'Patterns')
            .map((p) => this.textOf(p))
            .join('|');
          const guard: Guard = { kind: 'case', line: cmd.Pos().Line(), text: this.textOf(word), deciders, detail: patterns };
          this.stmts(list(item, 'Stmts'), { ...ctx, guards: [...ctx.guards, guard] });
        }
        return;
      }
      case 'Block':
      case 'Subshell':
        this.stmts(list(cmd, 'Stmts'), ctx);
        return;
      case 'BinaryCmd': {
        const op = field<number>(cmd, 'Op');
        const x = field<Node>(cmd, 'X');
        const left = this.stmt(x, ctx);
        if (op === AND || op === OR) {
          const guard: Guard = { kind: op === AND ? 'and' : 'or', line: x.Pos().Line(), text: this.textOf(x), deciders: left };
          this.stmt(field<Node>(cmd, 'Y'), { ...ctx, guards: [...ctx.guards, guard] });
        } else this.stmt(field<Node>(cmd, 'Y'), ctx);
        return;
      }
      case 'FuncDecl': {
        const name = String(field<Node>(field<Node>(cmd, 'Name'), 'Value'));
        const body = field<Node>(cmd, 'Body');
        const ksh = field<boolean>(cmd, 'RsrvWord') && !field<boolean>(cmd, 'Parens');
        if (!this.functions.has(name))
          this.functions.set(name, { name, line: cmd.Pos().Line(), ksh, firstLine: body.Pos().Line(), lastLine: body.End().Line() });
        const guard: Guard = { kind: 'function', line: cmd.Pos().Line(), text: name, deciders: [] };
        this.stmt(body, { guards: [...ctx.guards, guard], fn: name, stale: false, ...(ctx.background ? { background: true } : {}) });
        return;
      }
      case 'TimeClause':
      case 'CoprocClause': {
        const inner = field<Node | null>(cmd, 'Stmt');
        if (inner) this.stmt(inner, ctx);
        return;
      }
      default:
        // A construct this outline does not know (a new mvdan/sh node): its commands stay unlisted.
        return;
    }
  }

  private ifClause(cmd: Node, ctx: Context, earlier: readonly number[]): void {
    const condStmts = list(cmd, 'Cond');
    const elseGuard: Guard[] = earlier.length === 0 ? [] : [{ kind: 'else', line: cmd.Pos().Line(), text: '', deciders: earlier }];
    const inner: Context = { ...ctx, guards: [...ctx.guards, ...elseGuard] };
    const cond = this.stmts(condStmts, inner);
    const then: Guard = { kind: 'then', line: cmd.Pos().Line(), text: this.condText(condStmts), deciders: cond };
    this.stmts(list(cmd, 'Then'), { ...inner, guards: [...inner.guards, then] });
    const next = field<Node | null>(cmd, 'Else');
    if (next === null || next === undefined) return;
    const all = [...earlier, ...cond];
    if (list(next, 'Cond').length > 0) this.ifClause(next, ctx, all);
    else this.stmts(list(next, 'Then'), { ...ctx, guards: [...ctx.guards, { kind: 'else', line: next.Pos().Line(), text: '', deciders: all }] });
  }

  /** A condition as written, without the `;` that ends it before `then`/`do`. */
  private condText(stmts: readonly Node[]): string {
    return stmts.map((s) => this.textOf(s).replace(/\s*[;&]$/, '')).join('; ');
  }

  /** Records one simple command (and the commands of the substitutions in its words). */
  private simple(
    node: Node,
    kind: CommandKind,
    nameNode: Node | ScriptWord | undefined,
    argNodes: readonly Node[],
    redirects: readonly Node[],
    assignNodes: readonly Node[],
    ctx: Context,
    ...exprs: Node[]
  ): void {
    const index = this.commands.length;
    const reads = new Set<string>();
    const cmd: Mutable<ScriptCommand> = {
      index,
      line: node.Pos().Line(),
      kind,
      args: [],
      redirects: [],
      assigns: [],
      reads: [],
      guards: ctx.guards,
      staleLine: ctx.stale,
      background: ctx.background === true,
      source: firstLine(this.sourceOf(node, redirects)),
    };
    if (ctx.fn !== undefined) cmd.inFunction = ctx.fn;
    this.commands.push(cmd);
    if (nameNode !== undefined) cmd.name = 'literal' in nameNode ? (nameNode as ScriptWord) : this.word(nameNode as Node, ctx, reads);
    cmd.args = argNodes.map((a) => this.word(a, ctx, reads));
    const assigns: string[] = [];
    for (const a of assignNodes) {
      const name = field<Node | null>(a, 'Name');
      if (name) assigns.push(String(field<string>(name, 'Value')));
      const value = field<Node | null>(a, 'Value');
      if (value) this.word(value, ctx, reads);
      const array = field<Node | null>(a, 'Array');
      if (array) for (const e of list(array, 'Elems')) this.word(field<Node>(e, 'Value'), ctx, reads);
    }
    // `read x y`, `getopts o opt`: the command sets them too.
    if (cmd.name?.text === 'read') for (const w of cmd.args) if (/^[A-Za-z_]\w*$/.test(w.text)) assigns.push(w.text);
    if (kind === 'decl') cmd.args = assignNodes.map((a) => ({ text: this.textOf(a), literal: true }));
    cmd.assigns = assigns;
    cmd.redirects = redirects.map((r) => {
      const target = field<Node | null>(r, 'Word');
      const fd = field<Node | null>(r, 'N');
      return {
        op: REDIRECT_OPS[field<number>(r, 'Op')] ?? '?',
        ...(fd ? { fd: String(field<string>(fd, 'Value')) } : {}),
        target: target ? this.word(target, ctx, reads) : { text: '', literal: true },
      };
    });
    for (const r of redirects) {
      const hdoc = field<Node | null>(r, 'Hdoc');
      if (hdoc) this.word(hdoc, ctx, reads);
    }
    for (const e of exprs) this.expr(e, ctx, reads);
    cmd.reads = [...reads];
  }

  /** Commands of the substitutions in a redirection of a compound command. */
  private redirectWords(r: Node, ctx: Context): void {
    const reads = new Set<string>();
    const target = field<Node | null>(r, 'Word');
    if (target) this.word(target, ctx, reads);
    const hdoc = field<Node | null>(r, 'Hdoc');
    if (hdoc) this.word(hdoc, ctx, reads);
  }

  /** The indexes of the commands a word's substitutions hold. */
  private wordCommands(word: Node, ctx: Context): number[] {
    const before = this.commands.length;
    this.word(word, ctx, new Set());
    return range(before, this.commands.length);
  }

  /** A word rendered with its expansions as `*`; walks the command substitutions in it. */
  private word(node: Node, ctx: Context, reads: Set<string>): ScriptWord {
    let text = '';
    let literal = true;
    const parts = this.type(node) === 'Word' ? list(node, 'Parts') : [node];
    for (const part of parts) {
      const r = this.part(part, ctx, reads);
      text += r.text;
      literal &&= r.literal;
    }
    return { text, literal };
  }

  private part(part: Node, ctx: Context, reads: Set<string>): ScriptWord {
    switch (this.type(part)) {
      case 'Lit':
        return { text: String(field<string>(part, 'Value')), literal: true };
      case 'SglQuoted':
        return { text: String(field<string>(part, 'Value')), literal: true };
      case 'DblQuoted': {
        let text = '';
        let literal = true;
        for (const p of list(part, 'Parts')) {
          const r = this.part(p, ctx, reads);
          text += r.text;
          literal &&= r.literal;
        }
        return { text, literal };
      }
      case 'ParamExp': {
        const param = field<Node | null>(part, 'Param');
        if (param) reads.add(String(field<string>(param, 'Value')));
        // Exp, Repl and Slice are plain structs (no node type of their own): their operands are.
        this.expr(field<Node | null>(part, 'Index'), ctx, reads);
        const exp = field<unknown>(part, 'Exp');
        if (exp) this.expr(field<Node | null>(exp, 'Word'), ctx, reads);
        const repl = field<unknown>(part, 'Repl');
        if (repl) for (const name of ['Orig', 'With']) this.expr(field<Node | null>(repl, name), ctx, reads);
        const slice = field<unknown>(part, 'Slice');
        if (slice) for (const name of ['Offset', 'Length']) this.expr(field<Node | null>(slice, name), ctx, reads);
        return { text: '*', literal: false };
      }
      case 'CmdSubst':
      case 'ProcSubst':
        this.stmts(list(part, 'Stmts'), ctx);
        return { text: '*', literal: false };
      case 'ArithmExp':
        this.expr(field<Node>(part, 'X'), ctx, reads);
        return { text: '*', literal: false };
      default:
        // Extended globs and brace expansions stay as written: a pattern, not a value.
        return { text: this.textOf(part), literal: false };
    }
  }

  /** Test and arithmetic expressions, and parameter expansion operands: their words' substitutions and the variables they read. */
  private expr(node: Node | null | undefined, ctx: Context, reads: Set<string>): void {
    if (node === null || node === undefined) return;
    switch (this.type(node)) {
      case 'Word':
        this.word(node, ctx, reads);
        return;
      case 'BinaryTest':
      case 'BinaryArithm':
        this.expr(field<Node>(node, 'X'), ctx, reads);
        this.expr(field<Node>(node, 'Y'), ctx, reads);
        return;
      case 'UnaryTest':
      case 'UnaryArithm':
      case 'ParenTest':
      case 'ParenArithm':
        this.expr(field<Node>(node, 'X'), ctx, reads);
        return;
      default:
        return;
    }
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : `${text.slice(0, nl)} ...`;
}
