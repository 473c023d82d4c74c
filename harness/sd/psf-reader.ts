/**
 * Reads a product specification file (swpackage(4)) into a `Package`:
 * `depot`/`distribution`, `vendor`, `category`, `bundle`, `product`,
 * `subproduct`, `fileset`, optional `end`, attribute lines, `< file`
 * values, control scripts as `preinstall scripts/x [name]` and as
 * `control_file source[=tag] [name]` (one line, or an object with `source`,
 * `tag`, `path`, `interpreter` lines), and payload lines (psf-payload.ts).
 * Relative paths are read from the PSF's folder. Every problem in the file
 * and the files it names is reported at once (`SdInputError`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { AttributeBag, LIST_KEYWORDS } from './attribute-bag.js';
import { isControlScriptTag } from './control-tags.js';
import { lexDefinitions, type DefinitionLine, type Token } from './definition-lexer.js';
import { isKnownKeyword, likelyTypo, type ObjectKind } from './keywords.js';
import type { ControlScript, Fileset, Package, Product, SourceRef } from './package.js';
import { PsfControlFiles } from './psf-control-files.js';
import { FilesetPayloadBuilder } from './psf-payload.js';
import { ProblemList } from './sd-input-error.js';
import { buildDistribution, buildFileset, buildProduct, buildVendor, checkScriptTags } from './software-objects.js';

export interface ReadPsfOptions {
  /** Directory relative file names in the PSF are read from. Default: the PSF's folder. */
  readonly baseDir?: string;
}

interface FilesetDraft {
  readonly bag: AttributeBag;
  readonly scripts: ControlScript[];
  readonly payload: FilesetPayloadBuilder;
}

interface ProductDraft {
  readonly bag: AttributeBag;
  readonly scripts: ControlScript[];
  readonly filesets: FilesetDraft[];
}

type Open =
  | { kind: ObjectKind; bag: AttributeBag }
  | { kind: 'product'; bag: AttributeBag; draft: ProductDraft }
  | { kind: 'fileset'; bag: AttributeBag; draft: FilesetDraft };

export async function readPsf(psfPath: string, options: ReadPsfOptions = {}): Promise<Package> {
  let text: string;
  try {
    text = await readFile(psfPath, 'utf8');
  } catch (error) {
    throw new UserError('INPUT_NOT_FOUND', `cannot read PSF ${psfPath}`, { cause: error, hint: 'check the path' });
  }
  const reader = new PsfReader(psfPath, options.baseDir ?? path.dirname(path.resolve(psfPath)));
  return reader.read(text);
}

class PsfReader {
  private readonly problems = new ProblemList();
  private distribution: AttributeBag | undefined;
  private readonly vendors: AttributeBag[] = [];
  private readonly products: ProductDraft[] = [];
  /** Open objects, outermost first. */
  private readonly stack: Open[] = [];
  private readonly controlFiles: PsfControlFiles;
  private pendingList: { bag: AttributeBag; keyword: string; line: number; col: number; got: number } | undefined;

  constructor(
    private readonly file: string,
    private readonly baseDir: string,
  ) {
    this.controlFiles = new PsfControlFiles(file, baseDir, this.problems);
  }

  async read(text: string): Promise<Package> {
    for (const d of lexDefinitions(text, this.file, this.problems)) await this.line(d);
    await this.controlFiles.finish();
    this.finishList();
    const products = await this.build();
    this.problems.throwIfAny(this.file);
    return {
      kind: 'psf',
      path: this.file,
      distribution: buildDistribution(this.distribution),
      vendors: this.vendors.map((v) => buildVendor(v, this.problems)),
      products,
      warnings: this.problems.warnings,
    };
  }

  private async line(d: DefinitionLine): Promise<void> {
    if (this.continueList(d) || this.controlFiles.continue(d)) return;
    this.finishList();
    await this.controlFiles.finish();
    const here = { file: this.file, line: d.line, col: d.col };
    switch (d.keyword) {
      case 'depot':
      case 'distribution':
        this.noValue(d);
        if (this.distribution !== undefined || this.products.length > 0 || this.stack.length > 0) {
          this.problems.add(this.file, d.line, d.col, `\`${d.keyword}\` must come first, and only once`);
          return;
        }
        this.distribution = new AttributeBag(this.file, here);
        this.stack.push({ kind: 'distribution', bag: this.distribution });
        return;
      case 'vendor':
      case 'category':
      case 'bundle':
        this.noValue(d);
        this.openOuter(d.keyword, here);
        return;
      case 'product': {
        this.noValue(d);
        this.closeDownTo(['distribution']);
        const draft: ProductDraft = { bag: new AttributeBag(this.file, here), scripts: [], filesets: [] };
        this.products.push(draft);
        this.stack.push({ kind: 'product', bag: draft.bag, draft });
        return;
      }
      case 'subproduct':
      case 'fileset': {
        this.noValue(d);
        const product = this.closeDownTo(['product']);
        if (product?.kind !== 'product' || !('draft' in product)) {
          this.problems.add(this.file, d.line, d.col, `\`${d.keyword}\` outside a product`);
          return;
        }
        const bag = new AttributeBag(this.file, here);
        if (d.keyword === 'subproduct') {
          this.stack.push({ kind: 'subproduct', bag });
          return;
        }
        const directory = product.draft.bag.text('directory') ?? '/';
        const locatable = product.draft.bag.text('is_locatable')?.toLowerCase() !== 'false';
        const draft: FilesetDraft = { bag, scripts: [], payload: new FilesetPayloadBuilder(this.baseDir, this.problems, directory, locatable) };
        product.draft.filesets.push(draft);
        this.stack.push({ kind: 'fileset', bag, draft });
        return;
      }
      case 'end':
        this.end(d);
        return;
      default:
        break;
    }
    if (await this.extended(d)) return;
    await this.attribute(d);
  }

  /** Control scripts and file definitions; false when `d` is neither. */
  private async extended(d: DefinitionLine): Promise<boolean> {
    const isScript = isControlScriptTag(d.keyword) || d.keyword === 'space' || d.keyword === 'control_file';
    const isPayload = ['file', 'file_permissions', 'exclude', 'include'].includes(d.keyword);
    const isDirectory = d.keyword === 'directory';
    if (!isScript && !isPayload && !isDirectory) return false;
    const top = this.closeDownTo(['fileset', 'product']);
    if (isDirectory && top?.kind !== 'fileset') return false; // a product's `directory` is its install directory
    if (top === undefined || !('draft' in top)) {
      this.problems.add(this.file, d.line, d.col, `\`${d.keyword}\` outside a ${isScript ? 'product or fileset' : 'fileset'}`);
      return true;
    }
    if (isScript) {
      await this.controlFiles.line(d, top.draft);
      return true;
    }
    if (top.kind !== 'fileset') {
      this.problems.add(this.file, d.line, d.col, `\`${d.keyword}\` outside a fileset (files belong to filesets)`);
      return true;
    }
    await top.draft.payload.line(d, this.file);
    return true;
  }

  private async attribute(d: DefinitionLine): Promise<void> {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      this.problems.add(this.file, d.line, d.col, `attribute \`${d.keyword}\` outside any object (start with \`depot\`, \`vendor\` or \`product\`)`);
      return;
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(d.keyword)) {
      this.problems.add(this.file, d.line, d.col, `expected a keyword, got \`${d.keyword}\``);
      return;
    }
    const typo = likelyTypo(d.keyword, top.kind);
    if (typo !== undefined)
      this.problems.warn(this.file, d.line, d.col, `unknown keyword \`${d.keyword}\` (kept as a vendor attribute); did you mean \`${typo}\`?`);
    if (d.value === '' && !d.quoted) {
      if (LIST_KEYWORDS.has(d.keyword)) {
        this.pendingList = { bag: top.bag, keyword: d.keyword, line: d.line, col: d.col, got: 0 };
        return;
      }
      this.problems.add(this.file, d.line, d.col, `\`${d.keyword}\` needs a value`);
      return;
    }
    let value = d.value;
    let tokens = d.tokens;
    if (d.fileRef !== undefined) {
      const read = await this.readValueFile(d.fileRef);
      if (read === undefined) return;
      value = read;
      tokens = [{ text: read, line: d.fileRef.line, col: d.fileRef.col }];
    }
    top.bag.add(d.keyword, { value, tokens, line: d.line, col: d.col });
  }

  private async readValueFile(ref: Token): Promise<string | undefined> {
    try {
      return (await readFile(path.resolve(this.baseDir, ref.text), 'utf8')).replace(/\n$/, '');
    } catch {
      this.problems.add(this.file, ref.line, ref.col, `cannot read ${ref.text} (a \`< file\` value is read from the PSF's folder)`);
      return undefined;
    }
  }

  private continueList(d: DefinitionLine): boolean {
    const pending = this.pendingList;
    if (pending === undefined || d.value !== '' || d.quoted || isKnownKeyword(d.keyword)) return false;
    pending.bag.add(pending.keyword, { value: d.keyword, tokens: [{ text: d.keyword, line: d.line, col: d.col }], line: d.line, col: d.col });
    pending.got++;
    return true;
  }

  private finishList(): void {
    const pending = this.pendingList;
    this.pendingList = undefined;
    if (pending !== undefined && pending.got === 0) this.problems.add(this.file, pending.line, pending.col, `\`${pending.keyword}\` needs a value`);
  }

  private noValue(d: DefinitionLine): void {
    if (d.value !== '' || d.quoted) {
      this.problems.add(
        this.file,
        d.line,
        d.tokens[0]?.col ?? d.col,
        `\`${d.keyword}\` takes no value; give its attributes on the lines below (e.g. \`tag ${d.value}\`)`,
      );
    }
  }

  /** `vendor`, `category`, `bundle`: inside a product before its filesets, or at the top. */
  private openOuter(kind: 'vendor' | 'category' | 'bundle', here: SourceRef): void {
    const top = this.closeDownTo(['product', 'distribution']);
    if (kind === 'vendor' && top?.kind === 'product' && 'draft' in top && top.draft.filesets.length > 0) {
      this.problems.add(here.file, here.line, here.col, '`vendor` inside a product must come before its filesets');
    }
    const bag = new AttributeBag(this.file, here);
    if (kind === 'vendor') this.vendors.push(bag);
    this.stack.push({ kind, bag });
  }

  /**
   * Closes open objects until the top is one of `kinds` (returned) or nothing is
   * open: a new object keyword ends the definitions it cannot be part of.
   */
  private closeDownTo(kinds: readonly string[]): Open | undefined {
    while (this.stack.length > 0 && !kinds.includes(this.stack[this.stack.length - 1]!.kind)) this.stack.pop();
    return this.stack[this.stack.length - 1];
  }

  private end(d: DefinitionLine): void {
    const closed = this.stack.pop();
    if (closed === undefined) this.problems.add(this.file, d.line, d.col, '`end` with no open object to end');
  }

  private async build(): Promise<Product[]> {
    const products: Product[] = [];
    for (const p of this.products) {
      const filesets: Fileset[] = [];
      for (const f of p.filesets) {
        const fileset = buildFileset(f.bag, { scripts: f.scripts, payload: f.payload.entriesInOrder() }, this.problems);
        checkScriptTags(f.scripts, `fileset ${fileset.tag}`, this.problems);
        filesets.push(fileset);
      }
      const product = buildProduct(p.bag, p.scripts, filesets, this.problems);
      checkScriptTags(p.scripts, `product ${product.tag}`, this.problems);
      products.push(product);
    }
    if (products.length === 0) this.problems.add(this.file, undefined, undefined, 'no `product` defined');
    return products;
  }
}
