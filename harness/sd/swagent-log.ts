/**
 * Lines of SD's agent log, `/var/adm/sw/swagent.log` of the image a session
 * changes, where SD writes each control script's run and its output
 * (SD Administration Guide 11i ch. 11, "Control Script Output",
 * http://www.docs.hp.com/en/B2355-90754/ch11s07.html; p397-398):
 *
 *     * Running "checkinstall" script for fileset "PRODUCT.FILESET".
 *     <what the script wrote>
 *     ERROR: The "unconfigure" script for "PRODUCT.FILESET" failed (exit code "1").
 *            The script location was "/var/adm/sw/products/PRODUCT/FILESET/unconfigure".
 *     * This script had errors but the execution of this product will still proceed.
 *
 * Messages: `ERROR:`, `WARNING:`, `NOTE:` in column 1, the text from column
 * 10, wrapped at 72 columns; agent lines start with `*` (SD Administration
 * Guide 11i p398). The session's BEGIN/END banner and the `*` lines indented
 * seven spaces are the image's own swagent.log's form. Wording for what the
 * guide does not print (a check script's exclusion, GLOBAL_ERROR, REBOOT) is
 * [inferred]. Pure.
 */
import type { Operation, ScriptStep } from './session-plan.js';
import type { ExitMeaning } from './session-run.js';

const WIDTH = 72;
const INDENT = ' '.repeat(9);
const AGENT = '       * ';

/** `text` in lines of at most 72 columns (a longer word stays whole), the first after `first`, the others after `rest`. */
function wrap(first: string, rest: string, text: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const longer = empty ? line + word : `${line} ${word}`;
    if (!empty && longer.length > WIDTH) {
      lines.push(line);
      line = rest + word;
    } else {
      line = longer;
    }
    empty = false;
  }
  lines.push(line);
  return lines;
}

export type MessageKind = 'ERROR' | 'WARNING' | 'NOTE';

/** `ERROR:   text` wrapped at 72 columns, the text from column 10. */
export function message(kind: MessageKind, text: string): string[] {
  return wrap(`${kind}:`.padEnd(9), INDENT, text);
}

/** An agent line: `       * text`. */
export function agentLine(text: string): string[] {
  return wrap(AGENT, INDENT, text);
}

/** `MM/DD/YY HH:MM:SS UTC`, the banner's time. */
function bannerTime(date: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(date.getUTCMonth() + 1)}/${p(date.getUTCDate())}/${p(date.getUTCFullYear() % 100)} ${p(date.getUTCHours())}:${p(date.getUTCMinutes())}:${p(date.getUTCSeconds())} UTC`;
}

const SESSION_NAME: Readonly<Record<Operation, string>> = { install: 'install', upgrade: 'install', remove: 'remove', verify: 'verify' };

export function sessionBegin(operation: Operation, date: Date, host: string): string[] {
  return [
    `=======  ${bannerTime(date)}  BEGIN ${SESSION_NAME[operation]} AGENT SESSION (drd runcmd)`,
    '',
    ...agentLine(`Agent session started for user "root@${host}".`),
    `${AGENT}Target:                 ${host}:/`,
    `${AGENT}Target logfile:         ${host}:/var/adm/sw/swagent.log`,
    '',
  ];
}

export function sessionEnd(operation: Operation, date: Date): string[] {
  return ['', `=======  ${bannerTime(date)}  END ${SESSION_NAME[operation]} AGENT SESSION (drd runcmd)`, ''];
}

/** `Product` or `fileset "P.F"` as the agent names a script's owner. */
function owner(step: ScriptStep): string {
  return step.fileset === undefined ? `product "${step.product.tag}"` : `fileset "${step.product.tag}.${step.fileset.tag}"`;
}

/** `P` or `P.F`, as in `The "preinstall" script for "P.F"`. */
function subject(step: ScriptStep): string {
  return step.fileset === undefined ? step.product.tag : `${step.product.tag}.${step.fileset.tag}`;
}

export function scriptRunning(step: ScriptStep): string[] {
  return agentLine(`Running "${step.tag}" script for ${owner(step)}.`);
}

/**
 * What the script wrote, as SD copies it into the log: its lines as they
 * are, without blank lines (scripts must not write any, SD Administration
 * Guide 11i p398) and without trailing blanks.
 */
export function scriptOutput(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '');
}

/**
 * The agent's lines after a script ended: nothing on success; SD's ERROR or
 * WARNING with the script's location for 1 and 2; a note for EXCLUDE,
 * REBOOT and GLOBAL_ERROR [inferred].
 */
export function scriptResult(step: ScriptStep, exitCode: number, meaning: ExitMeaning, location: string): string[] {
  const failed = `The "${step.tag}" script for "${subject(step)}" failed (exit code "${exitCode}"). The script location was "${location}".`;
  const check = step.tag === 'checkinstall' || step.tag === 'checkremove';
  const what = step.fileset === undefined ? 'product' : 'fileset';
  switch (meaning.result) {
    case 'success':
      return [];
    case 'warning':
      return [
        ...message('WARNING', failed),
        ...agentLine(
          'This script had warnings but the execution of this product will still proceed. Check the above output from the script for further details.',
        ),
      ];
    case 'error':
      if (check) {
        const verb = step.tag === 'checkinstall' ? 'installed' : 'removed';
        return [
          ...message('ERROR', failed),
          ...agentLine(`The ${what} "${subject(step)}" will not be ${verb}. Check the above output from the script for further details.`),
        ];
      }
      return [
        ...message('ERROR', failed),
        ...agentLine(
          'This script had errors but the execution of this product will still proceed. Check the above output from the script for further details.',
        ),
      ];
    case 'excluded':
      return message('NOTE', `The "${step.tag}" script for "${subject(step)}" excluded the ${what} from this session (exit code "${exitCode}").`);
    case 'global-error':
      return [...message('ERROR', failed), ...agentLine('The script returned GLOBAL_ERROR: no software will be installed.')];
    case 'reboot':
      return message(
        'NOTE',
        `The "${step.tag}" script for "${subject(step)}" says the fileset needs a reboot (exit code "${exitCode}"). drd runcmd suppresses reboots: the reboot happens when the image is booted.`,
      );
  }
}
