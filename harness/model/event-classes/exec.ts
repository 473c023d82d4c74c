/** `exec`: a program run (execve, execveat), or a command the shell found nowhere in PATH. */
import { basename, formatArgv } from './target-text.js';
import { onExec } from '../process-lifecycle.js';
import { EXEC_SYSCALLS } from '../syscall-tables.js';
import { field, readsOf, type EventClassDescriptor } from './event-class.js';

export const EXEC_CLASS: EventClassDescriptor<'exec'> = {
  name: 'exec',
  reads: readsOf(EXEC_SYSCALLS, (m, p, e) => onExec(m.ctx, p, e)),
  traced: [...EXEC_SYSCALLS],
  fields: [
    field('exec.path', 'string', 'The program path as the process named it.', (e) => e.exec?.path),
    field('exec.realPath', 'string', "The program's real path.", (e) => e.exec?.realPath),
    field('exec.name', 'string', 'Base name of `exec.path`.', (e) => (e.exec === undefined ? undefined : basename(e.exec.path))),
    field(
      'exec.payload',
      'boolean',
      "The program is one the package installs (the run's payload list), by its path, real path or, for a bare name, base name.",
      (e) => (e.exec === undefined ? undefined : e.exec.payload === true),
    ),
    field(
      'exec.standin',
      'boolean',
      "The program that ran is a stand-in branch exploration put where the script looked for a program the system lacked (the run's standins list): what the real one does is unknown.",
      (e) => (e.exec === undefined ? undefined : e.exec.standin === true),
    ),
    field('exec.argv', 'strings', 'Every element of the new argv.', (e) => e.exec?.argv),
    field('exec.argv0', 'string', 'argv[0] of the new argv.', (e) => e.exec?.argv[0]),
    field('exec.args', 'strings', 'argv[1..] of the new argv.', (e) => e.exec?.argv.slice(1), { tail: { of: (e) => e.exec?.argv, skip: 1 } }),
    field('exec.cmdline', 'string', 'The new argv joined with spaces.', (e) => (e.exec === undefined ? undefined : formatArgv(e.exec.argv))),
  ],
  target: (e) => (e.exec === undefined ? undefined : formatArgv([e.exec.path, ...e.exec.argv.slice(1)])),
  // Nothing of its own: what a program did shows in its other events (a rule may say `confirm: witness`).
  confirmedBy: 'none',
};
