/**
 * The fields a policy can test and a message can quote: the ones every event
 * has (here), and each event class's own (its descriptor,
 * harness/model/event-classes/), with the classes that carry each made from
 * the descriptors. Validation, matching, message templates and
 * docs/policy.md all follow this table.
 */
import type { EventClass, PolicyEvent } from '../model/model-event.js';
import { PHASES } from '../contract/run-metadata.js';
import { EVENT_CLASS_LIST } from '../model/event-classes/event-classes.js';
import { field, type EventFieldSpec } from '../model/event-classes/event-class.js';
import { ORIGINS } from '../model/event-classes/shared-fields.js';
import { basename, formatArgv } from '../model/event-classes/target-text.js';
import { ERRNO_NAMES, X86_64_SYSCALLS } from './x86-64-syscalls.js';

/** Every class, in its descriptors' order. */
export const EVENT_CLASSES: readonly EventClass[] = EVENT_CLASS_LIST.map((d) => d.name);

export interface EventField extends EventFieldSpec {
  /** Classes whose events carry the field; absent = every class. */
  readonly classes?: readonly EventClass[];
}

const processName = (e: PolicyEvent): string | undefined =>
  e.process.exe !== undefined ? basename(e.process.exe) : e.process.argv[0] === undefined ? undefined : basename(e.process.argv[0]);

/** The fields every event has. */
const COMMON_FIELDS: readonly EventFieldSpec[] = [
  field('class', 'string', 'What kind of action the event is.', (e) => e.class, { values: EVENT_CLASSES }),
  field('syscall', 'string', 'The system call (`exit` for an exit without one).', (e) => e.syscall, { values: X86_64_SYSCALLS }),
  field('ok', 'boolean', 'The call succeeded.', (e) => e.ok, { result: true }),
  field('errno', 'string', 'The error of a failed call, e.g. `ESRCH`.', (e) => e.errno, { values: ERRNO_NAMES, result: true }),
  field('phase', 'string', 'The control script phase of the run.', (e) => e.phase, { values: PHASES }),
  field('process.origin', 'string', 'Where the acting process comes from.', (e) => e.process.origin, { values: ORIGINS }),
  field('process.pid', 'number', 'Pid of the acting process (strace namespace).', (e) => e.process.pid),
  field('process.exe', 'string', "Path of the acting process's last exec.", (e) => e.process.exe),
  field('process.name', 'string', 'Base name of `process.exe`, else of argv[0].', processName),
  field('process.argv', 'strings', "Every element of the acting process's argv.", (e) => e.process.argv),
  field('process.argv0', 'string', 'argv[0] of the acting process.', (e) => e.process.argv[0]),
  field('process.args', 'strings', 'argv[1..] of the acting process.', (e) => e.process.argv.slice(1), {
    tail: { of: (e) => e.process.argv, skip: 1 },
  }),
  field('process.cmdline', 'string', 'argv joined with spaces (elements with blanks quoted).', (e) => formatArgv(e.process.argv)),
  field('process.ancestors', 'strings', 'argv[0] of each ancestor up to the control script.', (e) =>
    e.process.ancestryArgv.flatMap((argv) => (argv[0] === undefined ? [] : [argv[0]])),
  ),
  field('process.root', 'string', "Real path of the acting process's root directory.", (e) => e.process.root),
  field('process.cwd', 'string', "Real path of the acting process's working directory.", (e) => e.process.cwd),
  field('location.file', 'string', 'Script file of the xtrace line that caused the event.', (e) => e.location?.file),
  field('location.line', 'number', 'Script line that caused the event.', (e) => e.location?.line),
  field('location.source', 'string', 'Text of that script line.', (e) => e.location?.source),
];

/** Each class's own fields, each once (in the order the classes first list them), with every class that lists it. */
function classFields(): EventField[] {
  const carriers = new Map<string, { spec: EventFieldSpec; classes: EventClass[] }>();
  for (const d of EVENT_CLASS_LIST) {
    for (const spec of d.fields) {
      const known = carriers.get(spec.name);
      if (known === undefined) carriers.set(spec.name, { spec, classes: [d.name] });
      else if (known.spec !== spec) throw new Error(`event classes ${known.classes[0]} and ${d.name} define the field ${spec.name} twice: share one spec`);
      else known.classes.push(d.name);
    }
  }
  return [...carriers.values()].map(({ spec, classes }) => ({ ...spec, classes }));
}

export const EVENT_FIELDS: readonly EventField[] = [...COMMON_FIELDS, ...classFields()];

export const FIELDS_BY_NAME: ReadonlyMap<string, EventField> = new Map(EVENT_FIELDS.map((f) => [f.name, f]));

/**
 * Names a message template may quote besides the event fields: the rule's
 * `rule` id and `title`, and `target` (the one-line description of what was
 * acted on).
 */
export const TEMPLATE_EXTRAS = ['rule', 'title', 'target'] as const;
