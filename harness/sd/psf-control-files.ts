/**
 * The control scripts of a PSF product or fileset: `preinstall scripts/x
 * [name]` and the other tags (the keyword is the tag), `control_file
 * source[=tag] [name]` (the tag defaults to the source's basename), and the
 * `control_file` object with `source`, `tag`, `path`, `interpreter` lines
 * (swpackage(4) "Control Script Specification"; SD Administration Guide 2009
 * p270; swbis sw(5)). Sources are read from the PSF's folder.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DefinitionLine, Token } from './definition-lexer.js';
import { joinEquals } from './file-spec-options.js';
import { isKnownKeyword } from './keywords.js';
import type { ControlScript, SourceRef } from './package.js';
import type { ProblemList } from './sd-input-error.js';

export interface ScriptOwner {
  readonly scripts: ControlScript[];
}

/** A `control_file` written as an object: `control_file` alone, then its attribute lines. */
interface ControlFileDraft {
  readonly owner: ScriptOwner;
  readonly line: number;
  readonly col: number;
  source?: Token;
  tag?: Token;
  path?: Token;
  interpreter?: string;
  /** Bare lines after `control_file` (the `control_file` / source / filename form). */
  positional: Token[];
}

export class PsfControlFiles {
  /** A `control_file` object still taking attribute lines. */
  private open: ControlFileDraft | undefined;

  constructor(
    private readonly file: string,
    private readonly baseDir: string,
    private readonly problems: ProblemList,
  ) {}

  /** `preinstall scripts/x [name]`, `control_file src[=tag] [name]`, or the start of a `control_file` object. */
  async line(d: DefinitionLine, owner: ScriptOwner): Promise<void> {
    if (d.keyword === 'control_file' && d.tokens.length === 0) {
      this.open = { owner, line: d.line, col: d.col, positional: [] };
      return;
    }
    const tokens = d.keyword === 'control_file' ? joinEquals(d.tokens) : [...d.tokens];
    const [first, name, ...extra] = tokens;
    if (first === undefined) {
      this.problems.add(this.file, d.line, d.col, `\`${d.keyword}\` needs the script's source file`);
      return;
    }
    if (extra.length > 0) {
      this.problems.add(
        this.file,
        extra[0]!.line,
        extra[0]!.col,
        `\`${d.keyword}\` takes a source and an optional file name; unexpected \`${extra[0]!.text}\``,
      );
      return;
    }
    let source: Token = first;
    let tag = d.keyword;
    if (d.keyword === 'control_file') {
      const eq = first.text.indexOf('=');
      if (eq >= 0) {
        tag = first.text.slice(eq + 1);
        source = { ...first, text: first.text.slice(0, eq) };
        if (tag === '' || source.text === '') {
          this.problems.add(this.file, first.line, first.col, '`control_file`: Expected `source=tag`, got an empty side');
          return;
        }
      } else {
        tag = path.posix.basename(first.text);
      }
    }
    const script = await this.loadScript(tag, source, name?.text ?? tag, undefined, { file: this.file, line: d.line, col: d.col });
    if (script !== undefined) owner.scripts.push(script);
  }

  private async loadScript(tag: string, source: Token, name: string, interpreter: string | undefined, at: SourceRef): Promise<ControlScript | undefined> {
    if (name.includes('/') || name === '.' || name === '..') {
      this.problems.add(this.file, source.line, source.col, `control file name \`${name}\` must be a plain file name (it is stored in the control directory)`);
      return undefined;
    }
    const abs = path.resolve(this.baseDir, source.text);
    let content: Buffer;
    try {
      content = await readFile(abs);
    } catch {
      this.problems.add(this.file, source.line, source.col, `cannot read control script source ${source.text}`);
      return undefined;
    }
    return { tag, path: name, ...(interpreter === undefined ? {} : { interpreter }), content, origin: abs, source: at };
  }

  /** Lines of a `control_file` object; false when `d` ends it. */
  continue(d: DefinitionLine): boolean {
    const cf = this.open;
    if (cf === undefined) return false;
    const tok = d.tokens[0];
    switch (d.keyword) {
      case 'source':
      case 'tag':
      case 'path':
        if (tok === undefined) this.problems.add(this.file, d.line, d.col, `\`${d.keyword}\` needs a value`);
        else cf[d.keyword] = tok;
        return true;
      case 'interpreter':
        cf.interpreter = d.value;
        return true;
      case 'result':
        return true;
      default:
        if (d.value === '' && !isKnownKeyword(d.keyword) && cf.positional.length < 2) {
          cf.positional.push({ text: d.keyword, line: d.line, col: d.col });
          return true;
        }
        return false;
    }
  }

  async finish(): Promise<void> {
    const cf = this.open;
    if (cf === undefined) return;
    this.open = undefined;
    const source = cf.source ?? cf.positional[0];
    if (source === undefined) {
      this.problems.add(this.file, cf.line, cf.col, '`control_file` has no `source`');
      return;
    }
    const tag = cf.tag?.text ?? path.posix.basename(source.text);
    const name = cf.path?.text ?? cf.positional[1]?.text ?? tag;
    const at = { file: this.file, line: cf.line, col: cf.col };
    const script = await this.loadScript(tag, source, name, cf.interpreter, at);
    if (script !== undefined) cf.owner.scripts.push(script);
  }
}
