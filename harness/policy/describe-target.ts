/**
 * One-line descriptions of what an event acted on, for findings and message
 * templates: `comsec (pid 57, booted daemon)`, `unix:@vxconfigd served by
 * vxconfigd`, `/images/booted/etc/motd (booted)`. Each event class says its
 * own (harness/model/event-classes/).
 */
import { descriptorOf } from '../model/event-classes/event-classes.js';
import type { PolicyEvent } from '../model/model-event.js';

/** One line naming what `event` acted on, or undefined when the event carries no target. */
export function describeTarget(event: PolicyEvent): string | undefined {
  return descriptorOf(event.class)?.target(event);
}
