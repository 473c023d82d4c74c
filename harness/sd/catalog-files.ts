/**
 * The two catalog file kinds of a depot (sd(4) "INDEX FORMAT", "INFO
 * FORMAT"): `catalog/INDEX`, the depot, product and fileset INDEX files
 * concatenated (objects and their attributes, no files), and one INFO per
 * product (`pfiles/INFO`) and fileset, holding only `control_file` and `file`
 * objects. Both use the PSF line grammar; here they become attribute bags
 * grouped by object, for depot-reader.ts to type.
 */
import { AttributeBag } from './attribute-bag.js';
import { lexDefinitions } from './definition-lexer.js';
import type { ProblemList } from './sd-input-error.js';
import { OBJECT_KEYWORDS } from './keywords.js';

export interface IndexProduct {
  readonly bag: AttributeBag;
  readonly filesets: AttributeBag[];
}

export interface CatalogIndex {
  readonly distribution?: AttributeBag;
  readonly vendors: readonly AttributeBag[];
  readonly products: readonly IndexProduct[];
}

/** The objects of an INDEX: every object keyword but a control file's, a file's and `end`. */
const INDEX_OBJECTS: ReadonlySet<string> = new Set([...OBJECT_KEYWORDS].filter((k) => k !== 'control_file' && k !== 'file' && k !== 'end'));

export function parseIndex(text: string, file: string, problems: ProblemList): CatalogIndex {
  let distribution: AttributeBag | undefined;
  const vendors: AttributeBag[] = [];
  const products: IndexProduct[] = [];
  let current: AttributeBag | undefined;
  for (const d of lexDefinitions(text, file, problems)) {
    const here = { file, line: d.line, col: d.col };
    if (d.keyword === 'end') continue;
    if (d.keyword === 'control_file' || d.keyword === 'file') {
      problems.add(file, d.line, d.col, `\`${d.keyword}\` does not belong in an INDEX (sd(4): INDEX files hold no files or scripts; they are in INFO)`);
      current = undefined;
      continue;
    }
    if (INDEX_OBJECTS.has(d.keyword)) {
      if (d.value !== '') problems.add(file, d.line, d.tokens[0]?.col ?? d.col, `\`${d.keyword}\` takes no value`);
      current = new AttributeBag(file, here);
      switch (d.keyword) {
        case 'distribution':
        case 'depot':
        case 'installed_software':
        case 'root':
          if (distribution !== undefined || products.length > 0) problems.add(file, d.line, d.col, `\`${d.keyword}\` must come first, and only once`);
          distribution = current;
          break;
        case 'vendor':
          vendors.push(current);
          break;
        case 'product':
          products.push({ bag: current, filesets: [] });
          break;
        case 'fileset': {
          const product = products[products.length - 1];
          if (product === undefined) problems.add(file, d.line, d.col, '`fileset` before any `product`');
          else product.filesets.push(current);
          break;
        }
        default:
          break; // media, category, bundle, subproduct: read, not modelled
      }
      continue;
    }
    if (current === undefined) {
      problems.add(file, d.line, d.col, `attribute \`${d.keyword}\` outside any object`);
      continue;
    }
    // An INDEX `< file` value names a file in the same catalog directory (swbis sw(5)); drdsafe keeps the name.
    current.add(d.keyword, { value: d.value, tokens: d.tokens, line: d.line, col: d.col });
  }
  return { ...(distribution === undefined ? {} : { distribution }), vendors, products };
}

export interface CatalogInfo {
  readonly controlFiles: readonly AttributeBag[];
  readonly files: readonly AttributeBag[];
}

export function parseInfo(text: string, file: string, problems: ProblemList): CatalogInfo {
  const controlFiles: AttributeBag[] = [];
  const files: AttributeBag[] = [];
  let current: AttributeBag | undefined;
  for (const d of lexDefinitions(text, file, problems)) {
    const here = { file, line: d.line, col: d.col };
    if ((d.keyword === 'control_file' || d.keyword === 'file') && d.value === '') {
      current = new AttributeBag(file, here);
      (d.keyword === 'file' ? files : controlFiles).push(current);
      continue;
    }
    if (INDEX_OBJECTS.has(d.keyword) || d.keyword === 'control_file' || d.keyword === 'file') {
      problems.add(
        file,
        d.line,
        d.col,
        `\`${d.keyword}${d.value === '' ? '' : ' ' + d.value}\` does not belong in an INFO (sd(4): only \`control_file\` and \`file\` objects)`,
      );
      current = undefined;
      continue;
    }
    if (current === undefined) {
      problems.add(file, d.line, d.col, `attribute \`${d.keyword}\` outside a \`control_file\` or \`file\``);
      continue;
    }
    current.add(d.keyword, { value: d.value, tokens: d.tokens, line: d.line, col: d.col });
  }
  return { controlFiles, files };
}
