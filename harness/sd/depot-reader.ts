/**
 * Reads an SD depot (sd(4) "DEPOT (DISTRIBUTION) FORMAT") from any
 * `DepotFiles` (a directory, or a tape archive read into one): the global
 * `catalog/INDEX` for the depot, products and filesets; each product's
 * `catalog/<product>/pfiles/INFO` and scripts; each fileset's
 * `catalog/<product>/<fileset>/INFO` and scripts; and the contents stored
 * under `<product>/<fileset>/<absolute path>`. Directory names are the
 * objects' `control_directory` (default: the tag).
 */
import type { AttributeBag } from './attribute-bag.js';
import { parseIndex, parseInfo, type CatalogInfo } from './catalog-files.js';
import type { ControlScript, Fileset, InputKind, Package, PayloadData, PayloadEntry, PayloadType, Product } from './package.js';
import { ProblemList } from './sd-input-error.js';
import { buildDistribution, buildFileset, buildProduct, buildVendor, checkScriptTags } from './software-objects.js';

/** Files of a depot, by `/`-separated path relative to the depot root. */
export interface DepotFiles {
  /** How problems name a file (e.g. `acme-depot/catalog/INDEX` or `acme.depot:catalog/INDEX`). */
  display(rel: string): string;
  /** A catalog file's bytes; undefined when absent. */
  read(rel: string): Promise<Buffer | undefined>;
  /** Where a stored file's contents are; undefined when absent. */
  contents(rel: string): Promise<{ readonly data: PayloadData; readonly size: number } | undefined>;
}

const FILE_TYPES: readonly PayloadType[] = ['f', 'd', 'h', 's', 'p', 'c', 'b'];

/** Catalog metadata the INFO lists about itself; not control files SD runs. */
const CATALOG_TAGS = new Set(['INFO', 'INDEX']);

export async function readDepot(
  files: DepotFiles,
  kind: Extract<InputKind, 'depot-dir' | 'depot-tape'>,
  displayPath: string,
  problems = new ProblemList(),
): Promise<Package> {
  const indexBytes = await files.read('catalog/INDEX');
  if (indexBytes === undefined) {
    problems.add(files.display('catalog/INDEX'), undefined, undefined, 'missing: every depot has a catalog/INDEX (sd(4))');
    problems.throwIfAny(displayPath);
  }
  const index = parseIndex(indexBytes!.toString('utf8'), files.display('catalog/INDEX'), problems);
  const pfiles = index.distribution?.text('pfiles') ?? 'pfiles';
  const products: Product[] = [];
  for (const p of index.products) {
    const productDir = p.bag.text('control_directory') ?? p.bag.text('tag') ?? '';
    const productInfo = await readInfo(files, `catalog/${productDir}/${pfiles}`, false, p.bag, problems);
    const productScripts = productInfo === undefined ? [] : await scriptsOf(files, `catalog/${productDir}/${pfiles}`, productInfo, problems);
    const filesets: Fileset[] = [];
    for (const f of p.filesets) {
      const filesetDir = f.text('control_directory') ?? f.text('tag') ?? '';
      const dir = `catalog/${productDir}/${filesetDir}`;
      const info = await readInfo(files, dir, true, f, problems);
      const scripts = info === undefined ? [] : await scriptsOf(files, dir, info, problems);
      const payload = info === undefined ? [] : await payloadOf(files, `${productDir}/${filesetDir}`, info, problems);
      const fileset = buildFileset(f, { scripts, payload }, problems);
      checkScriptTags(scripts, `fileset ${fileset.tag}`, problems);
      filesets.push(fileset);
    }
    const product = buildProduct(p.bag, productScripts, filesets, problems);
    checkScriptTags(productScripts, `product ${product.tag}`, problems);
    products.push(product);
  }
  if (index.products.length === 0) problems.add(files.display('catalog/INDEX'), undefined, undefined, 'no `product` in the depot');
  const vendors = index.vendors.map((v) => buildVendor(v, problems));
  problems.throwIfAny(displayPath);
  return { kind, path: displayPath, distribution: buildDistribution(index.distribution), vendors, products, warnings: problems.warnings };
}

async function readInfo(files: DepotFiles, dir: string, required: boolean, owner: AttributeBag, problems: ProblemList): Promise<CatalogInfo | undefined> {
  const rel = `${dir}/INFO`;
  const bytes = await files.read(rel);
  if (bytes === undefined) {
    if (required) {
      problems.add(
        owner.file,
        owner.source.line,
        owner.source.col,
        `no ${files.display(rel)} (sd(4): every fileset's catalog directory has an INFO listing its files and scripts)`,
      );
    }
    return undefined;
  }
  return parseInfo(bytes.toString('utf8'), files.display(rel), problems);
}

async function scriptsOf(files: DepotFiles, dir: string, info: CatalogInfo, problems: ProblemList): Promise<ControlScript[]> {
  const out: ControlScript[] = [];
  for (const cf of info.controlFiles) {
    const tag = required(cf, 'control_file', 'tag', problems);
    const name = required(cf, 'control_file', 'path', problems);
    if (tag === undefined || name === undefined || CATALOG_TAGS.has(tag)) continue;
    if (name.includes('/')) {
      problems.add(cf.file, cf.get('path')!.line, cf.get('path')!.col, `control file path \`${name}\` must be a file name in its catalog directory`);
      continue;
    }
    const rel = `${dir}/${name}`;
    const content = await files.read(rel);
    if (content === undefined) {
      problems.add(cf.file, cf.source.line, cf.source.col, `control file \`${tag}\` names ${files.display(rel)}, which is missing`);
      continue;
    }
    const interpreter = cf.text('interpreter');
    out.push({ tag, path: name, ...(interpreter === undefined ? {} : { interpreter }), content, origin: files.display(rel), source: cf.source });
  }
  return out;
}

async function payloadOf(files: DepotFiles, storageDir: string, info: CatalogInfo, problems: ProblemList): Promise<PayloadEntry[]> {
  const out: PayloadEntry[] = [];
  for (const f of info.files) {
    const filePath = required(f, 'file', 'path', problems);
    const typeText = required(f, 'file', 'type', problems);
    if (filePath === undefined || typeText === undefined) continue;
    const at = (k: string): [number | undefined, number | undefined] => [f.get(k)?.line ?? f.source.line, f.get(k)?.tokens[0]?.col ?? f.source.col];
    if (!filePath.startsWith('/') || filePath.split('/').includes('..')) {
      problems.add(f.file, ...at('path'), `file path: Expected an absolute path without \`..\`, got \`${filePath}\``);
      continue;
    }
    if (!(FILE_TYPES as readonly string[]).includes(typeText)) {
      problems.add(f.file, ...at('type'), `file type: Expected one of ${FILE_TYPES.join(', ')}, got \`${typeText}\``);
      continue;
    }
    const type = typeText as PayloadType;
    const linkSource = f.text('link_source');
    if ((type === 's' || type === 'h') && linkSource === undefined) {
      problems.add(f.file, f.source.line, f.source.col, `file ${filePath}: a link needs \`link_source\` (sd(4))`);
      continue;
    }
    const mode = octal(f, 'mode', problems);
    const uid = integer(f, 'uid', problems);
    const gid = integer(f, 'gid', problems);
    const owner = f.text('owner');
    const group = f.text('group');
    const compressed = f.text('compression_state') === 'compressed';
    let data: PayloadData | undefined;
    let size: number | undefined;
    if (type === 'f') {
      const rel = `${storageDir}${filePath}`;
      const stored = await files.contents(rel);
      if (stored === undefined) {
        problems.add(f.file, f.source.line, f.source.col, `file ${filePath}: its contents ${files.display(rel)} are missing`);
        continue;
      }
      data = stored.data;
      size = stored.size;
    }
    out.push({
      path: filePath,
      type,
      ...(mode === undefined ? {} : { mode }),
      ...(owner === undefined ? {} : { owner }),
      ...(uid === undefined ? {} : { uid }),
      ...(group === undefined ? {} : { group }),
      ...(gid === undefined ? {} : { gid }),
      ...(linkSource === undefined ? {} : { linkSource }),
      isVolatile: f.bool('is_volatile', false, problems),
      ...(data === undefined ? {} : { data }),
      ...(compressed ? { compression: f.text('compression_type') ?? 'gzip' } : {}),
      ...(size === undefined ? {} : { size }),
      source: f.source,
    });
  }
  return out;
}

function required(bag: AttributeBag, what: 'control_file' | 'file', keyword: string, problems: ProblemList): string | undefined {
  const v = bag.text(keyword);
  if (v === undefined || v === '') {
    problems.add(bag.file, bag.source.line, bag.source.col, `\`${what}\` has no \`${keyword}\` (sd(4): it is required)`);
    return undefined;
  }
  return v;
}

function octal(bag: AttributeBag, keyword: string, problems: ProblemList): number | undefined {
  const v = bag.get(keyword);
  if (v === undefined) return undefined;
  if (!/^[0-7]{1,6}$/.test(v.value)) {
    problems.add(bag.file, v.line, v.tokens[0]?.col ?? v.col, `${keyword}: Expected an octal number, got \`${v.value}\``);
    return undefined;
  }
  return parseInt(v.value, 8);
}

function integer(bag: AttributeBag, keyword: string, problems: ProblemList): number | undefined {
  const v = bag.get(keyword);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v.value)) {
    problems.add(bag.file, v.line, v.tokens[0]?.col ?? v.col, `${keyword}: Expected a number, got \`${v.value}\``);
    return undefined;
  }
  return Number(v.value);
}
