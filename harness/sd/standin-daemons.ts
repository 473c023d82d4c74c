/**
 * Which payload files get a stand-in on the booted system: the executables
 * that are HP-UX binaries (hpux-binary.ts). On a real host the installed
 * product's daemon runs from such a file; in the sandbox it cannot, so a
 * stand-in daemon of the same name takes the file's place in the booted
 * tree: the booted system runs it when its init script or configure starts
 * the daemon, it writes the pid file the package's scripts read, and it
 * records every signal and request it gets in the witness log. The inactive
 * image keeps the real file, as `drd clone` copies it.
 *
 * The pid file is the one the package's own files name for the daemon (a
 * `/var/run/<name>.pid`-like path in its init script or configuration), else
 * `/var/run/<name>.pid` [inferred: the convention of the image's daemons].
 */
import path from 'node:path';
import type { StandInDaemon } from '../contract/session-protocol.js';
import { describeHpuxBinary, hpuxBinaryKind } from './hpux-binary.js';
import type { Package } from './package.js';
import type { PayloadBytes } from './payload-ops.js';

const PID_PATH = /\/[A-Za-z0-9_./-]*\.pid\b/g;

export function standInDaemons(pkg: Package, bytes: PayloadBytes): StandInDaemon[] {
  const entries = pkg.products.flatMap((p) => p.filesets.flatMap((f) => f.payload)).filter((e) => e.type === 'f');
  // Text files of the package (init scripts, rc.config.d files): where pid files are named.
  const texts = entries
    .map((e) => bytes.get(e))
    .filter((b): b is Buffer => b !== undefined && !b.subarray(0, 4096).includes(0))
    .map((b) => b.toString('utf8'));
  const pidPaths = [...new Set(texts.flatMap((t) => t.match(PID_PATH) ?? []))];
  const out: StandInDaemon[] = [];
  for (const e of entries) {
    const data = bytes.get(e);
    if (data === undefined || ((e.mode ?? 0) & 0o111) === 0) continue;
    const kind = hpuxBinaryKind(data.subarray(0, 64));
    if (kind === undefined) continue;
    const name = path.posix.basename(e.path);
    const named = pidPaths.find((p) => path.posix.basename(p, '.pid') === name) ?? pidPaths.find((p) => path.posix.basename(p).includes(name));
    out.push({
      path: e.path,
      name,
      pidFile: named ?? `/var/run/${name}.pid`,
      why: `${e.path} is ${describeHpuxBinary(kind)}, which cannot run in the sandbox`,
    });
  }
  return out;
}
