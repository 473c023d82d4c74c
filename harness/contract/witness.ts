/**
 * `witness.jsonl`: what the booted system experienced, one JSON object a line,
 * written by init and the stand-in daemons as it happens (images/README.md
 * lists the events). Each line is checked on its own: a line that is not
 * JSON or has a field of the wrong type is a witness issue naming the line,
 * the field and the problem (the witness is then incomplete, and the verdict
 * cannot be safe), while the lines around it still count. A daemon killed
 * while writing can leave half a line, so one bad line is evidence, not a
 * broken run directory.
 */
import { INT, NUMBER, STRING, ContractError, checker, objectSchema, readIfThere } from './check-json.js';
import * as validators from './validators.generated.js';

/** One line as the booted system writes it. Fields the stand-ins may add later are allowed. */
export interface WitnessLine {
  /** Unix seconds. */
  readonly t?: number;
  readonly daemon: string;
  /** The daemon's pid in the booted system's namespace. */
  readonly pid?: number;
  /** `start`, `signal`, `request`, `ipc-removed`, `reconfigure`, `exit`, `booted`, `reap`. */
  readonly event: string;
  readonly ppid?: number;
  readonly endpoint?: string;
  readonly signal?: string;
  readonly signo?: number;
  /** How a signal came: `user`, `tkill`, `queue`, `kernel`. */
  readonly code?: string;
  readonly senderPid?: number;
  readonly senderUid?: number;
  readonly senderComm?: string;
  readonly peerPid?: number;
  readonly peerUid?: number;
  readonly peerAddr?: string;
  /** The request, at most 512 bytes. */
  readonly data?: string;
  readonly reason?: string;
  readonly services?: number;
  readonly entries?: number;
  readonly childPid?: number;
  readonly exitCode?: number;
}

/** A witness line as the analysis reads it, with its line number (the report's `groundTruth.witness`). */
export interface WitnessEvent {
  /** Line in witness.jsonl. */
  readonly line: number;
  readonly daemon: string;
  /** The daemon's pid in the booted system's namespace. */
  readonly pid?: number;
  readonly event: string;
  readonly signal?: string;
  readonly senderPid?: number;
  readonly peerPid?: number;
  readonly endpoint?: string;
  readonly data?: string;
  readonly t?: number;
}

export interface WitnessLog {
  /** Every good line, in order. */
  readonly lines: readonly WitnessLine[];
  /** The same lines as the analysis reads them. */
  readonly events: readonly WitnessEvent[];
  /** `witness.jsonl:LINE: ...` for each line that could not be read. */
  readonly issues: readonly string[];
}

export const WITNESS_LINE_SCHEMA = objectSchema<WitnessLine>()({
  properties: {
    t: NUMBER,
    daemon: STRING,
    pid: INT,
    event: STRING,
    ppid: INT,
    endpoint: STRING,
    signal: STRING,
    signo: INT,
    code: STRING,
    senderPid: INT,
    senderUid: INT,
    senderComm: STRING,
    peerPid: INT,
    peerUid: INT,
    peerAddr: STRING,
    data: STRING,
    reason: STRING,
    services: INT,
    entries: INT,
    childPid: INT,
    exitCode: INT,
  },
  required: ['daemon', 'event'],
  additionalProperties: true,
});

const checkLine = checker<WitnessLine>(validators.witnessLine);

function event(line: number, w: WitnessLine): WitnessEvent {
  return {
    line,
    daemon: w.daemon,
    event: w.event,
    ...(w.pid !== undefined ? { pid: w.pid } : {}),
    ...(w.senderPid !== undefined ? { senderPid: w.senderPid } : {}),
    ...(w.peerPid !== undefined ? { peerPid: w.peerPid } : {}),
    ...(w.t !== undefined ? { t: w.t } : {}),
    ...(w.signal !== undefined ? { signal: w.signal } : {}),
    ...(w.endpoint !== undefined ? { endpoint: w.endpoint } : {}),
    ...(w.data !== undefined ? { data: w.data } : {}),
  };
}

/** `name` is how issues name the file (`witness.jsonl`). */
export function parseWitness(text: string, name = 'witness.jsonl'): WitnessLog {
  const lines: WitnessLine[] = [];
  const events: WitnessEvent[] = [];
  const issues: string[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const source = raw[i]!.trim();
    if (source === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch {
      issues.push(`${name}:${i + 1}: not JSON: ${source.slice(0, 80)}`);
      continue;
    }
    try {
      const w = checkLine(value, `${name}:${i + 1}`);
      lines.push(w);
      events.push(event(i + 1, w));
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      issues.push(`${name}:${i + 1}: ${error.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`);
    }
  }
  return { lines, events, issues };
}

/** witness.jsonl read and checked line by line; `undefined` when there is none. */
export async function readWitness(file: string): Promise<WitnessLog | undefined> {
  const text = await readIfThere(file);
  return text === undefined ? undefined : parseWitness(text);
}
