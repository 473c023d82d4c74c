/**
 * The files the package installs (its payload), as the run metadata lists
 * them (`RunMetadata.payload`, jail paths). The sandbox runs a control script
 * on a clone where the package is not installed, so a program of the payload
 * that the script runs is missing there but present on a system the package
 * is installed on: what it does there is unknown (an `exec.payload` event).
 */
import { jailView } from './resolve-path.js';

export class PayloadPaths {
  private readonly paths: ReadonlySet<string>;
  /** Base names, for a bare command name a shell looked up in PATH. */
  private readonly names: ReadonlySet<string>;

  constructor(paths: readonly string[] = []) {
    this.paths = new Set(paths);
    this.names = new Set(paths.map((p) => p.slice(p.lastIndexOf('/') + 1)));
  }

  get empty(): boolean {
    return this.paths.size === 0;
  }

  /**
   * Whether the program a process named `path` is one of the payload's: by
   * that path, by its real path seen from inside the process's `root`, or,
   * for a bare name (no `/`), by base name.
   */
  holds(path: string, root: string, real?: string): boolean {
    if (this.paths.size === 0) return false;
    if (!path.includes('/')) return this.names.has(path);
    if (this.paths.has(path)) return true;
    const inJail = real === undefined ? undefined : jailView(root, real);
    return inJail !== undefined && this.paths.has(inJail);
  }
}
