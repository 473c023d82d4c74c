/**
 * The CLI entry: picks the sub-command, owns the one error boundary and the
 * only process-wide signal handlers. `main(argv, io)` takes its streams and
 * environment as parameters so tests can drive it in-process.
 */
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import type { Command } from './command.js';
import type { CliIo } from '../app/io.js';
import { EXIT } from '../exit-codes.js';
import { analyzeCommand } from './analyze-command.js';
import { corpusCommand } from './corpus-command.js';
import { formatError } from './format-error.js';
import { gcCommand } from './gc-command.js';
import { imageCommand } from './image-command.js';
import { k8sJobCommand } from './k8s-job-command.js';
import { reportCommand } from './report-command.js';
import { runCommand } from './run-command.js';
import { runcmdCommand } from './runcmd-command.js';
import { TOOL_VERSION } from '../version.js';

function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'drdsafe: prove whether HP-UX package control scripts are DRD-safe',
    '',
    'Usage: drdsafe <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `drdsafe <command> --help` for the options of a command.',
    'Exit codes: 0 safe, 1 unsafe, 2 usage or configuration error, 3 indeterminate or harness failure.',
  ].join('\n');
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const commands = [analyzeCommand, corpusCommand, reportCommand, runCommand, runcmdCommand, imageCommand, gcCommand, k8sJobCommand];
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage(commands) + '\n');
    return name === undefined ? EXIT.usage : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`drdsafe ${TOOL_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`drdsafe: unknown command \`${name}\`\nRun \`drdsafe --help\` to list the commands.\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.trimEnd() + '\n');
    return 0;
  }
  const debug = rest.includes('--debug') || Boolean(io.env.DRDSAFE_DEBUG);
  try {
    return await command.run(
      rest.filter((a) => a !== '--debug'),
      io,
    );
  } catch (error) {
    const { text, exitCode } = formatError(error, { command: name, debug });
    io.stderr.write(text);
    return exitCode;
  }
}

/** Runs the CLI on the real process: wires signals to an AbortController and exits as the signal would. */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) {
      // A second Ctrl-C: the user wants out now, cleanup or not.
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    received = signal;
    process.stderr.write(`\ndrdsafe: ${signal} received, cleaning up (press Ctrl-C again to quit at once)\n`);
    controller.abort(new Error(`interrupted by ${signal}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code: number;
  try {
    code = await main(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      env: process.env,
      cwd: process.cwd(),
      signal: controller.signal,
      interactive: Boolean(process.stderr.isTTY),
      stdin: () => process.stdin,
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (received) {
    // Exit as the signal would, for the caller's shell; and should another listener (a loader such
    // as tsx keeps one) stop the re-raised signal from ending the process, still exit non-zero.
    process.exitCode = received === 'SIGINT' ? 130 : 143;
    process.kill(process.pid, received);
    return;
  }
  process.exitCode = code;
}

const isEntry = (() => {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
})();
if (isEntry) await runCli();
