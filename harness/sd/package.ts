/**
 * The one typed model every package reader returns, whatever the input was
 * (a lone control script, a folder of scripts, a PSF, a directory depot or a
 * tape depot): a distribution holding products, products holding filesets,
 * each with its attributes, control scripts and payload. Everything keeps
 * where it was declared (`SourceRef`) so a later finding or plan step can
 * point back at the PSF or catalog line. Attribute names and defaults follow
 * sd(4) and swpackage(4); docs/sd-formats.md lists them with sources.
 */
import type { SdProblem } from './sd-input-error.js';

/** Which kind of input a package was read from (see `detectInput`). */
export type InputKind = 'script' | 'script-dir' | 'psf' | 'depot-dir' | 'depot-tape';

/** Where something was declared. */
export interface SourceRef {
  /** As the user named it, or `archive.depot:catalog/INDEX` for a tape member. */
  readonly file: string;
  readonly line?: number;
  readonly col?: number;
}

/**
 * Every attribute as written, keyword -> values in order (a keyword given
 * twice, like `prerequisite`, keeps both). Vendor-defined keywords are kept
 * too, as SD keeps them (swpackage(4) "Vendor-Defined Attributes").
 */
export type Attributes = ReadonlyMap<string, readonly string[]>;

export interface Package {
  readonly kind: InputKind;
  /** The input path as given. */
  readonly path: string;
  readonly distribution: Distribution;
  readonly vendors: readonly Vendor[];
  readonly products: readonly Product[];
  /** Things a reader accepted but the user may want to know (likely typos, unmatched excludes). */
  readonly warnings: readonly SdProblem[];
}

/** The depot/distribution object; absent attributes stay absent. */
export interface Distribution {
  readonly tag?: string;
  readonly title?: string;
  readonly layoutVersion?: string;
  readonly attributes: Attributes;
  readonly source?: SourceRef;
}

export interface Vendor {
  readonly tag: string;
  readonly title?: string;
  readonly attributes: Attributes;
  readonly source: SourceRef;
}

export interface Product {
  readonly tag: string;
  readonly revision?: string;
  readonly architecture?: string;
  readonly vendorTag?: string;
  readonly title?: string;
  /** Default install directory (`directory`); sd(4) default `/`. */
  readonly directory: string;
  /** Catalog directory name; sd(4) default: the tag. */
  readonly controlDirectory: string;
  readonly isLocatable: boolean;
  readonly isPatch: boolean;
  readonly attributes: Attributes;
  /** Product-level control files (stored under `pfiles/`). */
  readonly scripts: readonly ControlScript[];
  readonly filesets: readonly Fileset[];
  readonly source: SourceRef;
}

export interface Fileset {
  readonly tag: string;
  readonly revision?: string;
  readonly architecture?: string;
  readonly title?: string;
  /** Catalog directory name; sd(4) default: the tag. */
  readonly controlDirectory: string;
  /**
   * `is_drd_safe` as written; `undefined` when the package does not say
   * (DRD then treats it as false, except 11i v2 patches: see `drdSafety`).
   */
  readonly isDrdSafe: boolean | undefined;
  /** Attributes drdsafe supplied because the input cannot carry them (a bare script has no `is_drd_safe`). */
  readonly assumed: readonly string[];
  readonly isKernel: boolean;
  readonly isReboot: boolean;
  readonly isPatch: boolean;
  readonly isSparse: boolean;
  readonly ancestors: readonly string[];
  readonly supersedes: readonly string[];
  readonly dependencies: readonly Dependency[];
  readonly attributes: Attributes;
  readonly scripts: readonly ControlScript[];
  readonly payload: readonly PayloadEntry[];
  readonly source: SourceRef;
}

/** A control file: an SD control script when its tag is one (`CONTROL_SCRIPT_TAGS`), else a subscript or data file. */
export interface ControlScript {
  /** `SW_CONTROL_TAG`: when SD runs it. */
  readonly tag: string;
  /** File name in the control directory (one file may serve several tags). */
  readonly path: string;
  /** INFO/PSF `interpreter`; absent means SD's default shell. */
  readonly interpreter?: string;
  readonly content: Buffer;
  /** The file it was read from (host path, or `archive:member`). */
  readonly origin: string;
  /** Where it was declared (the PSF or INFO line); for folders, the file itself. */
  readonly source: SourceRef;
}

export type DependencyKind = 'prerequisite' | 'corequisite' | 'exrequisite';

export interface Dependency {
  readonly kind: DependencyKind;
  /** The spec as written, e.g. `ACME.ACME-LIB,r>=1.0` or `foo1|foo2`. */
  readonly spec: string;
  /** One of these satisfies it (`|` alternation). */
  readonly alternatives: readonly SoftwareSpec[];
  readonly source: SourceRef;
}

/** `product[.fileset][,qualifier...]`, e.g. `SD.agent,r>=2.0`. */
export interface SoftwareSpec {
  readonly product: string;
  readonly fileset?: string;
  readonly qualifiers: readonly VersionQualifier[];
}

export interface VersionQualifier {
  /** `r`, `a`, `v`, `l`, `q`, optionally prefixed `p`/`f`/`b` (sd(5) software specs). */
  readonly letter: string;
  readonly op: '=' | '==' | '!=' | '<' | '<=' | '>' | '>=';
  readonly value: string;
}

/** sd(4) file types: regular, directory, hard link, symbolic link, fifo, character and block device. */
export type PayloadType = 'f' | 'd' | 'h' | 's' | 'p' | 'c' | 'b';

export interface PayloadEntry {
  /** Absolute destination path on the target. */
  readonly path: string;
  readonly type: PayloadType;
  /** Permission bits (with setuid/setgid/sticky); absent for links. */
  readonly mode?: number;
  readonly owner?: string;
  readonly uid?: number;
  readonly group?: string;
  readonly gid?: number;
  /** Target of a symbolic or hard link. */
  readonly linkSource?: string;
  readonly isVolatile: boolean;
  /** Contents of a regular file. */
  readonly data?: PayloadData;
  /** How a depot stored the contents (INFO `compression_type` with `compression_state compressed`); absent: as is. */
  readonly compression?: string;
  readonly size?: number;
  readonly source: SourceRef;
}

/** Where a regular file's bytes are: a host file, or a member of a tape depot. */
export type PayloadData = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'archive'; readonly archive: string; readonly member: string };

/** `PRODUCT` or `PRODUCT.FILESET`. */
export function filesetKey(product: Product, fileset?: Fileset): string {
  return fileset === undefined ? product.tag : `${product.tag}.${fileset.tag}`;
}
