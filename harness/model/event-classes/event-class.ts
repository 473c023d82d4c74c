/**
 * What one event class is, in one place: the calls the model reads to make
 * its events (and their handlers), the calls strace must trace to see them,
 * the fields a policy can test on them, the one-line text naming what such an
 * event acted on, and the sandbox evidence that confirms it. The model's
 * wiring (process-model.ts), the traced set (policy/traced-syscalls.ts), the
 * policy's fields (policy/event-fields.ts), target text
 * (policy/describe-target.ts) and ground truth (report/ground-truth.ts) are
 * all made from the descriptors in event-classes.ts.
 */
import type { SyscallEvent } from '../../trace/trace-event.js';
import type { ModelContext } from '../model-context.js';
import type { EventClass, PolicyEvent } from '../model-event.js';
import type { ProcessState } from '../process-state.js';
import type { GroundEvidence } from './ground-evidence.js';

/** `strings` is a list (argv): a test holds when any element passes it. */
export type FieldType = 'string' | 'number' | 'boolean' | 'strings';
export type FieldValue = string | number | boolean | readonly string[] | undefined;

/** A field a policy can test and a message can quote, as its class defines it. */
export interface EventFieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly description: string;
  /** The values the field can take, when they are a closed set (checked on load). */
  readonly values?: ReadonlySet<string>;
  readonly get: (event: PolicyEvent) => FieldValue;
  /**
   * For `strings` fields that are a tail of an array the event holds (argv[1..]):
   * the array and how many leading elements to skip, so matching need not copy it.
   */
  readonly tail?: { readonly of: (event: PolicyEvent) => readonly string[] | undefined; readonly skip: number };
  /**
   * The field is (or comes from) what the call returned. On an event whose call
   * never returned (`ModelEvent.unfinished`) its value is not known, so a test
   * of it holds neither way (policy/compile-match.ts).
   */
  readonly result?: true;
}

export function field(
  name: string,
  type: FieldType,
  description: string,
  get: EventFieldSpec['get'],
  extra: { values?: Iterable<string>; tail?: EventFieldSpec['tail']; result?: true } = {},
): EventFieldSpec {
  return {
    name,
    type,
    description,
    get,
    ...(extra.tail === undefined ? {} : { tail: extra.tail }),
    ...(extra.result === undefined ? {} : { result: extra.result }),
    ...(extra.values === undefined ? {} : { values: new Set(extra.values) }),
  };
}

/** What a handler may reach besides the model's shared state: the model's own clone bookkeeping. */
export interface ModelHooks {
  readonly ctx: ModelContext;
  onClone(p: ProcessState, e: SyscallEvent): void;
}

/** How the model reads one syscall. */
export interface ClassRead {
  readonly handle: (m: ModelHooks, p: ProcessState, e: SyscallEvent) => void;
  /** The outcome matters: a call never resumed is a gap. Default true. */
  readonly relevant?: boolean;
}

export interface EventClassDescriptor<C extends EventClass = EventClass> {
  readonly name: C;
  /**
   * The calls the model reads for this class, with their handlers. A handler
   * may make events of other classes too (an open is a file read, a write, a
   * jail escape or a kernel change); each call is read by one class only.
   */
  readonly reads: ReadonlyMap<string, ClassRead>;
  /**
   * What strace must trace to see every event of the class: the calls it
   * reads, and the ones of another class's reader that make its events too.
   * Names that are not x86_64 syscalls are dropped when the set is made.
   */
  readonly traced: readonly string[];
  /** The fields its events carry, besides the ones every event has. A field several classes carry is one spec object. */
  readonly fields: readonly EventFieldSpec[];
  /** One line naming what the event acted on, or undefined when it carries no target. */
  readonly target: (event: PolicyEvent) => string | undefined;
  /** The sandbox evidence that confirms its findings when the rule names none (report/ground-truth.ts). */
  readonly confirmedBy: GroundEvidence;
}

/** One read a call of `table`, each with the table's entry for it. */
export function readsOf<S>(
  table: ReadonlyMap<string, S> | Iterable<string>,
  handle: (m: ModelHooks, p: ProcessState, e: SyscallEvent, spec: S) => void,
  relevant?: (spec: S) => boolean,
): Map<string, ClassRead> {
  const entries: [string, S][] =
    table instanceof Map ? [...(table as ReadonlyMap<string, S>)] : [...(table as Iterable<string>)].map((n) => [n, undefined as S]);
  return new Map(
    entries.map(([name, spec]) => [name, { handle: (m, p, e) => handle(m, p, e, spec), ...(relevant === undefined ? {} : { relevant: relevant(spec) }) }]),
  );
}
