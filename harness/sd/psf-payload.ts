/**
 * A PSF fileset's file specifications turned into payload entries:
 * `directory src[=dest]`, `file *`, `file [-m mode] [-o owner[,uid]]
 * [-g group[,gid]] [-t type] [-v] src [dest]`, `file < listfile`,
 * `file_permissions`, `exclude`, and re-specifying a file to change its
 * attributes (swpackage(4) "File Specification", SD Administration Guide
 * 2010 10.4.2.4.11 and 10.4.2.5). Sources are read from the packaging host
 * relative to the PSF's folder, as swpackage reads them relative to where it
 * runs; every missing source is a problem on its line.
 */
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { DefinitionLine, Token } from './definition-lexer.js';
import { lexDefinitions } from './definition-lexer.js';
import { joinEquals, parseFileOptions, splitOnce, type FileOptions, type Owner } from './file-spec-options.js';
import type { PayloadEntry, PayloadType } from './package.js';
import type { ProblemList } from './sd-input-error.js';
import { globMatch } from './software-spec.js';

interface Mapping {
  /** Absolute host directory. */
  readonly source: string;
  /** Absolute destination prefix, when given. */
  readonly dest?: string;
  readonly line: number;
  readonly col: number;
}

interface Permissions {
  readonly mode?: number;
  readonly umask?: number;
  readonly owner?: Owner;
  readonly group?: Owner;
}

interface Draft {
  path: string;
  type: PayloadType;
  mode?: number;
  owner?: Owner;
  group?: Owner;
  linkSource?: string;
  isVolatile: boolean;
  /** Host path of a regular file's contents (or of the source of any entry, for `exclude`). */
  hostPath?: string;
  size?: number;
  file: string;
  line: number;
  col: number;
}

const INCLUDE_DEPTH = 8;

export class FilesetPayloadBuilder {
  private mapping: Mapping | undefined;
  private perms: Permissions = {};
  private readonly entries = new Map<string, Draft>();
  private sawFile = false;

  constructor(
    private readonly baseDir: string,
    private readonly problems: ProblemList,
    private readonly productDirectory: string,
    /** A locatable product's files must lie under its directory to move with it. Default: `false`. */
    private readonly productLocatable = false,
  ) {}

  /** Handles one payload line; false when `d` is not a payload keyword. */
  async line(d: DefinitionLine, file: string, depth = 0): Promise<boolean> {
    switch (d.keyword) {
      case 'directory':
        this.directory(d, file);
        return true;
      case 'file_permissions':
        this.filePermissions(d, file);
        return true;
      case 'exclude':
        this.exclude(d, file);
        return true;
      case 'file':
      case 'include':
        await this.file(d, file, depth);
        return true;
      default:
        return false;
    }
  }

  entriesInOrder(): PayloadEntry[] {
    return [...this.entries.values()].map((d) => ({
      path: d.path,
      type: d.type,
      ...(d.type === 's' || d.type === 'h' || d.mode === undefined ? {} : { mode: d.mode }),
      ...(d.owner?.name === undefined ? {} : { owner: d.owner.name }),
      ...(d.owner?.id === undefined ? {} : { uid: d.owner.id }),
      ...(d.group?.name === undefined ? {} : { group: d.group.name }),
      ...(d.group?.id === undefined ? {} : { gid: d.group.id }),
      ...(d.linkSource === undefined ? {} : { linkSource: d.linkSource }),
      isVolatile: d.isVolatile,
      ...(d.type === 'f' && d.hostPath !== undefined ? { data: { kind: 'file' as const, path: d.hostPath } } : {}),
      ...(d.size === undefined ? {} : { size: d.size }),
      source: { file: d.file, line: d.line, col: d.col },
    }));
  }

  private directory(d: DefinitionLine, file: string): void {
    const spec = joinEquals(d.tokens);
    if (spec.length === 0 || spec.length > 1) {
      this.problems.add(file, d.line, d.col, '`directory` takes one `source[=destination]`');
      return;
    }
    const [srcText = '', destText] = splitOnce(spec[0]!.text, '=');
    if (srcText === '') {
      this.problems.add(file, spec[0]!.line, spec[0]!.col, '`directory` needs a source directory before `=`');
      return;
    }
    const source = path.resolve(this.baseDir, srcText);
    let dest: string | undefined;
    if (destText !== undefined) {
      if (!destText.startsWith('/')) {
        this.problems.add(file, spec[0]!.line, spec[0]!.col, `\`directory\`: the destination must be an absolute path, got \`${destText}\``);
        return;
      }
      dest = normalizeDest(destText);
      if (this.productLocatable && !isUnder(dest, this.productDirectory)) {
        this.problems.warn(
          file,
          d.line,
          d.col,
          `destination ${dest} is outside the directory ${this.productDirectory} of a locatable product (swpackage(4) requires it inside)`,
        );
      }
    } else if (srcText.startsWith('/')) {
      dest = normalizeDest(srcText);
    }
    this.mapping = { source, ...(dest === undefined ? {} : { dest }), line: d.line, col: d.col };
  }

  private filePermissions(d: DefinitionLine, file: string): void {
    if (d.quoted && d.value === '') {
      this.perms = {};
      return;
    }
    const opts = parseFileOptions(d.tokens, file, this.problems, ['m', 'u', 'o', 'g', 't']);
    if (opts.positional.length > 0) {
      const t = opts.positional[0]!;
      this.problems.add(file, t.line, t.col, `\`file_permissions\` takes only -m, -u, -o, -g; got \`${t.text}\``);
    }
    if (opts.m !== undefined && opts.u !== undefined) {
      this.problems.add(file, d.line, d.col, '`file_permissions`: give -m or -u, not both');
    }
    // Later definitions replace earlier ones whole (swpackage(4) "Default Permission Specification").
    this.perms = {
      ...(opts.m === undefined ? {} : { mode: opts.m }),
      ...(opts.u === undefined ? {} : { umask: opts.u }),
      ...(opts.o === undefined ? {} : { owner: opts.o }),
      ...(opts.g === undefined ? {} : { group: opts.g }),
    };
  }

  private exclude(d: DefinitionLine, file: string): void {
    if (!this.sawFile) {
      this.problems.add(file, d.line, d.col, '`exclude` must follow a file definition (swpackage(4) "PSF Extensions")');
      return;
    }
    if (d.tokens.length !== 1) {
      this.problems.add(file, d.line, d.col, '`exclude` takes one file name');
      return;
    }
    const pattern = d.tokens[0]!.text;
    const base = this.mapping?.source ?? this.baseDir;
    let removed = 0;
    for (const [key, entry] of this.entries) {
      const candidates = [entry.path];
      if (entry.hostPath !== undefined) candidates.push(entry.hostPath, path.relative(base, entry.hostPath));
      const hit = candidates.some((c) => globMatch(pattern, c) || c.startsWith(pattern.replace(/\/+$/, '') + '/'));
      if (hit) {
        this.entries.delete(key);
        removed++;
      }
    }
    if (removed === 0) this.problems.warn(file, d.line, d.col, `\`exclude ${pattern}\` matched no file defined so far`);
  }

  private async file(d: DefinitionLine, file: string, depth: number): Promise<void> {
    this.sawFile = true;
    if (d.fileRef !== undefined) {
      await this.include(d.fileRef, file, depth);
      return;
    }
    if (d.keyword === 'include') {
      this.problems.add(file, d.line, d.col, '`include` takes `< file`');
      return;
    }
    if (d.tokens.length === 1 && d.tokens[0]!.text === '*') {
      await this.recursive(d, file);
      return;
    }
    const opts = parseFileOptions(d.tokens, file, this.problems, ['m', 'o', 'g', 't', 'v', 'n']);
    const [src, dest, ...extra] = opts.positional;
    if (src === undefined) {
      this.problems.add(file, d.line, d.col, '`file` needs a source path (or `*`)');
      return;
    }
    if (extra.length > 0) {
      this.problems.add(file, extra[0]!.line, extra[0]!.col, `\`file\` takes a source and a destination; unexpected \`${extra[0]!.text}\``);
      return;
    }
    const at = { file, line: src.line, col: src.col };
    const type = opts.t;
    if (type === 's' || type === 'h') {
      if (dest === undefined) {
        this.problems.add(file, src.line, src.col, `\`file -t ${type}\` needs the link source and the link's path`);
        return;
      }
      const linkPath = this.destination(dest, file);
      if (linkPath === undefined) return;
      this.put({ path: linkPath, type, linkSource: src.text, isVolatile: opts.v, ...this.attrs(opts), ...at });
      return;
    }
    if (type === 'd' && dest === undefined && !(await exists(this.sourcePath(src.text)))) {
      const dirPath = this.destination(src, file);
      if (dirPath !== undefined) this.put({ path: dirPath, type: 'd', isVolatile: opts.v, ...this.modeAttrs(opts, undefined, 'd'), ...at });
      return;
    }
    const hostPath = this.sourcePath(src.text);
    const st = await lstatOrUndefined(hostPath);
    const destPath = dest === undefined ? this.impliedDestination(src, hostPath, file) : this.destination(dest, file);
    if (destPath === undefined) return;
    if (st === undefined) {
      if (type === 'd') {
        this.put({ path: destPath, type: 'd', isVolatile: opts.v, ...this.modeAttrs(opts, undefined, 'd'), ...at });
        return;
      }
      const existing = this.entries.get(destPath);
      if (existing !== undefined && dest === undefined) {
        // Re-specifying a file already defined (e.g. by `file *`): only its attributes change.
        this.put({ ...existing, ...this.attrs(opts), ...(opts.v ? { isVolatile: true } : {}), ...at });
        return;
      }
      this.problems.add(file, src.line, src.col, `no such source file: ${hostPath}`);
      return;
    }
    const kind = fileType(st);
    if (kind === undefined) {
      this.problems.add(file, src.line, src.col, `unsupported file type (socket, fifo or device): ${hostPath}`);
      return;
    }
    await this.putFromDisk(destPath, hostPath, kind, st, opts, at);
  }

  private async recursive(d: DefinitionLine, file: string): Promise<void> {
    const mapping = this.mapping;
    if (mapping === undefined) {
      this.problems.add(file, d.line, d.col, '`file *` needs an active `directory` (swpackage(4) "Recursive File Specification")');
      return;
    }
    if (mapping.dest === undefined) {
      this.problems.add(file, mapping.line, mapping.col, '`directory` needs `=destination` (an absolute path) before `file *` can place files');
      return;
    }
    const st = await lstatOrUndefined(mapping.source);
    if (st === undefined || !st.isDirectory()) {
      this.problems.add(file, mapping.line, mapping.col, `no such source directory: ${mapping.source}`);
      return;
    }
    const at = { file, line: d.line, col: d.col };
    const walk = async (dir: string, destDir: string): Promise<void> => {
      for (const name of (await readdir(dir)).sort()) {
        const hostPath = path.join(dir, name);
        const dest = path.posix.join(destDir, name);
        const cst = await lstat(hostPath);
        const kind = fileType(cst);
        if (kind === undefined) {
          this.problems.add(file, d.line, d.col, `unsupported file type (socket, fifo or device): ${hostPath}`);
          continue;
        }
        await this.putFromDisk(dest, hostPath, kind, cst, { v: false }, at);
        if (kind === 'd') await walk(hostPath, dest);
      }
    };
    await walk(mapping.source, mapping.dest);
  }

  private async include(ref: Token, file: string, depth: number): Promise<void> {
    if (depth >= INCLUDE_DEPTH) {
      this.problems.add(file, ref.line, ref.col, `file includes nest deeper than ${INCLUDE_DEPTH}`);
      return;
    }
    const abs = path.resolve(this.baseDir, ref.text);
    let text: string;
    try {
      text = await readFile(abs, 'utf8');
    } catch {
      this.problems.add(file, ref.line, ref.col, `cannot read the file list ${ref.text}`);
      return;
    }
    const shown = path.join(path.dirname(file), ref.text);
    for (const d of lexDefinitions(text, shown, this.problems)) {
      if (!(await this.line(d, shown, depth + 1))) {
        this.problems.add(
          shown,
          d.line,
          d.col,
          `\`${d.keyword}\` is not a file definition (an included file list holds file, directory, file_permissions and exclude lines)`,
        );
      }
    }
  }

  private async putFromDisk(
    dest: string,
    hostPath: string,
    kind: PayloadType,
    st: Awaited<ReturnType<typeof lstat>>,
    opts: FileOptions,
    at: { file: string; line: number; col: number },
  ): Promise<void> {
    const base: Draft = {
      path: dest,
      type: kind,
      isVolatile: opts.v,
      hostPath,
      ...this.modeAttrs(opts, Number(st.mode) & 0o7777, kind),
      ...at,
    };
    if (kind === 's') base.linkSource = await readlink(hostPath);
    if (kind === 'f') base.size = Number(st.size);
    this.put(base);
  }

  /** Owner, group and mode from the options, then `file_permissions`; the source's mode otherwise. */
  private modeAttrs(opts: FileOptions, sourceMode: number | undefined, kind: PayloadType): Pick<Draft, 'mode' | 'owner' | 'group'> {
    let mode = opts.m ?? this.perms.mode;
    if (mode === undefined && sourceMode !== undefined) mode = this.perms.umask === undefined ? sourceMode : sourceMode & ~this.perms.umask;
    // A directory that does not exist on the packaging host gets 0755 unless told otherwise [inferred].
    if (mode === undefined && kind === 'd') mode = 0o755;
    const owner = opts.o ?? this.perms.owner;
    const group = opts.g ?? this.perms.group;
    return { ...(mode === undefined ? {} : { mode }), ...(owner === undefined ? {} : { owner }), ...(group === undefined ? {} : { group }) };
  }

  /** Only the attributes given explicitly (for re-specifying and links). */
  private attrs(opts: FileOptions): Pick<Draft, 'mode' | 'owner' | 'group'> {
    return {
      ...(opts.m === undefined ? {} : { mode: opts.m }),
      ...(opts.o === undefined ? {} : { owner: opts.o }),
      ...(opts.g === undefined ? {} : { group: opts.g }),
    };
  }

  private put(d: Draft): void {
    const existing = this.entries.get(d.path);
    this.entries.set(d.path, existing === undefined ? d : { ...existing, ...d });
  }

  private sourcePath(src: string): string {
    return path.resolve(this.mapping?.source ?? this.baseDir, src);
  }

  /**
   * With no destination given, the source path is the destination, mapped by
   * the active `directory` (swpackage(4) "Explicit File Specification").
   */
  private impliedDestination(src: Token, hostPath: string, file: string): string | undefined {
    const m = this.mapping;
    if (src.text.startsWith('/')) {
      if (m?.dest !== undefined && isUnder(hostPath, m.source)) return normalizeDest(path.posix.join(m.dest, path.relative(m.source, hostPath)));
      return normalizeDest(src.text);
    }
    return this.destination(src, file);
  }

  /** The absolute destination of `t`: absolute as written, or under the active `directory` destination. */
  private destination(t: Token, file: string): string | undefined {
    if (t.text.startsWith('/')) return normalizeDest(t.text);
    if (this.mapping?.dest === undefined) {
      this.problems.add(file, t.line, t.col, `relative destination \`${t.text}\` needs an active \`directory source=destination\``);
      return undefined;
    }
    const joined = normalizeDest(path.posix.join(this.mapping.dest, t.text));
    if (!isUnder(joined, this.mapping.dest)) {
      this.problems.add(file, t.line, t.col, `destination \`${t.text}\` leaves the directory ${this.mapping.dest}`);
      return undefined;
    }
    return joined;
  }
}

function normalizeDest(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

function isUnder(p: string, dir: string): boolean {
  return dir === '/' || p === dir || p.startsWith(dir + '/');
}

function fileType(st: Awaited<ReturnType<typeof lstat>>): PayloadType | undefined {
  if (st.isFile()) return 'f';
  if (st.isDirectory()) return 'd';
  if (st.isSymbolicLink()) return 's';
  return undefined;
}

async function lstatOrUndefined(p: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(p);
  } catch {
    return undefined;
  }
}

async function exists(p: string): Promise<boolean> {
  return (await lstatOrUndefined(p)) !== undefined;
}
