/**
 * Every event class's descriptor, in the order classes are listed (the
 * policy's `class` values, docs/policy.md). Adding a class is adding its
 * member to `EventClass` (model-event.ts) and its descriptor here; the
 * compiler asks for the descriptor of each class.
 */
import type { EventClass, ModelEvent } from '../model-event.js';
import { COVERAGE_CLASS } from './coverage.js';
import type { EventClassDescriptor } from './event-class.js';
import { EXEC_CLASS } from './exec.js';
import { FS_READ_CLASS } from './fs-read.js';
import { FS_WRITE_CLASS } from './fs-write.js';
import type { GroundEvidence } from './ground-evidence.js';
import { IPC_CLASS } from './ipc.js';
import { JAIL_CLASS } from './jail.js';
import { KERNEL_CLASS } from './kernel.js';
import { PROCESS_CHANGE_CLASS } from './process-change.js';
import { PROCESS_EXIT_CLASS } from './process-exit.js';
import { PROCESS_START_CLASS } from './process-start.js';
import { SERVE_CLASS } from './serve.js';
import { SIGNAL_CLASS } from './signal.js';
import { SOCKET_CLASS } from './socket.js';

export const EVENT_CLASS_DESCRIPTORS: { readonly [C in EventClass]: EventClassDescriptor<C> } = {
  signal: SIGNAL_CLASS,
  socket: SOCKET_CLASS,
  serve: SERVE_CLASS,
  'fs-write': FS_WRITE_CLASS,
  'fs-read': FS_READ_CLASS,
  exec: EXEC_CLASS,
  'process-start': PROCESS_START_CLASS,
  'process-exit': PROCESS_EXIT_CLASS,
  jail: JAIL_CLASS,
  kernel: KERNEL_CLASS,
  'process-change': PROCESS_CHANGE_CLASS,
  ipc: IPC_CLASS,
  coverage: COVERAGE_CLASS,
};

/** The descriptors in order. */
export const EVENT_CLASS_LIST: readonly EventClassDescriptor[] = Object.values(EVENT_CLASS_DESCRIPTORS);

/** The descriptor of `name`; undefined for a class no descriptor knows (an event made by a newer producer). */
export function descriptorOf(name: string): EventClassDescriptor | undefined {
  return (EVENT_CLASS_DESCRIPTORS as Partial<Record<string, EventClassDescriptor>>)[name];
}

/** The evidence that confirms an event of its class when its rule names none. */
export function confirmedBy(e: ModelEvent): GroundEvidence {
  return descriptorOf(e.class)?.confirmedBy ?? 'none';
}
