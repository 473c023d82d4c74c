/**
 * Lexical path resolution as the kernel does it for a chrooted process:
 * absolute paths start at the process root, `..` at the root stays there
 * (but `..` from a directory outside the root walks up freely, which is how
 * the classic chroot escape works). Symlinks are not followed: when strace's
 * fd decoration gives the real path, callers prefer it.
 */
import { isUnder } from './classify-path.js';

/** Resolve `path` from `base` (a real directory) for a process whose root is `root` (a real directory). */
export function resolveFrom(root: string, base: string, path: string): string {
  let cur = path.startsWith('/') ? root : base;
  // Most paths have no `.`, `..` or empty segment: they are appended whole (what the walk below gives them).
  if (isPlain(path)) {
    if (path.charCodeAt(0) === 0x2f) return cur === '/' ? path : cur + path;
    return cur === '/' ? `/${path}` : `${cur}/${path}`;
  }
  let start = 0;
  const n = path.length;
  while (start <= n) {
    let end = path.indexOf('/', start);
    if (end < 0) end = n;
    const seg = path.slice(start, end);
    start = end + 1;
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (cur === root || cur === '/') continue;
      const cut = cur.lastIndexOf('/');
      cur = cut <= 0 ? '/' : cur.slice(0, cut);
      continue;
    }
    cur = cur === '/' ? `/${seg}` : `${cur}/${seg}`;
  }
  return cur;
}

/**
 * `path` is absolute and plain (see below): from any root, `resolveFrom` appends
 * it to the root whole, so the process sees it as `path` itself.
 */
export function isPlainAbsolute(path: string): boolean {
  return path.charCodeAt(0) === 0x2f && isPlain(path);
}

/**
 * `path` is non-empty and each of its segments (after an optional leading `/`)
 * is non-empty and neither `.` nor `..`, so it ends without `/` too.
 */
function isPlain(path: string): boolean {
  const n = path.length;
  let start = path.charCodeAt(0) === 0x2f ? 1 : 0;
  if (start >= n) return false;
  for (let i = start; i <= n; i++) {
    if (i < n && path.charCodeAt(i) !== 0x2f) continue;
    const len = i - start;
    if (len === 0) return false;
    if (path.charCodeAt(start) === 0x2e && (len === 1 || (len === 2 && path.charCodeAt(start + 1) === 0x2e))) return false;
    start = i + 1;
  }
  return true;
}

/** The path as a process with root `root` names `real`; undefined when `real` is outside that root. */
export function jailView(root: string, real: string): string | undefined {
  if (root === '/') return real;
  if (!isUnder(real, root)) return undefined;
  return real.length === root.length ? '/' : real.slice(root.length);
}

export interface ProcLink {
  /** `self`, `thread-self` or a pid as the process named it. */
  readonly who: string;
  /** `fd`: `/proc/<pid>/fd/<n>`, which opens again the file that process has open as fd n. */
  readonly kind: 'root' | 'cwd' | 'fd';
  /** For `fd`: the fd number. */
  readonly fd?: number;
  /** What follows the link, `''` or starting with `/`. */
  readonly rest: string;
}

const PROC_LINK = /^\/proc\/(\d+|self|thread-self)\/(?:(root|cwd)|fd\/(\d+))(\/.*)?$/;

/** `/proc/<pid>/root/...`, `/proc/<pid>/cwd/...` or `/proc/<pid>/fd/<n>[/...]` in a path as seen inside the jail. */
export function procLink(jailPath: string): ProcLink | undefined {
  if (!jailPath.startsWith('/proc/')) return undefined;
  const m = PROC_LINK.exec(jailPath);
  if (!m) return undefined;
  const who = m[1] ?? '';
  const rest = m[4] ?? '';
  if (m[3] !== undefined) return { who, kind: 'fd', fd: Number(m[3]), rest };
  return { who, kind: m[2] === 'root' ? 'root' : 'cwd', rest };
}

/** `/proc/sys/...` as seen inside the jail (or outside it). */
export function isProcSys(jailPath: string): boolean {
  return jailPath === '/proc/sys' || jailPath.startsWith('/proc/sys/');
}
