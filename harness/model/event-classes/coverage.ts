/** `coverage`: a command line of the control script and whether it ran (made by harness/coverage/ after the trace, never by the model). */
import { field, type EventClassDescriptor } from './event-class.js';

const UNTRACED = ['ksh-function', 'xtrace-off', 'unflushed', 'no-trace', 'indirect', 'background'] as const;

export const COVERAGE_CLASS: EventClassDescriptor<'coverage'> = {
  name: 'coverage',
  reads: new Map(),
  // Script coverage reads the xtrace markers, which the model needs anyway (`write`).
  traced: [],
  fields: [
    field('line.number', 'number', 'The command line of the control script.', (e) => e.coverage?.number),
    field('line.text', 'string', 'The line as written.', (e) => e.coverage?.text),
    field('line.ran', 'boolean', 'It ran (a risky line: its risky command ran); absent when the shell was not tracing there.', (e) => e.coverage?.ran),
    field('line.untraced', 'string', 'Why its run cannot be told.', (e) => e.coverage?.untraced, { values: UNTRACED }),
    field('line.risky', 'boolean', "Its command matches an entry of the policy's `risky-commands`.", (e) => e.coverage?.risky),
    field('line.risk', 'string', 'The name of that entry.', (e) => e.coverage?.risk),
    field('line.command', 'string', 'Its (risky) command as written.', (e) => e.coverage?.command),
    field('line.why', 'string', 'Why it did not run, when known.', (e) => e.coverage?.why),
  ],
  target: (e) => (e.coverage === undefined ? undefined : `line ${e.coverage.number}: ${e.coverage.command ?? e.coverage.text.trim()}`),
  // A line that never ran acted on nothing.
  confirmedBy: 'none',
};
