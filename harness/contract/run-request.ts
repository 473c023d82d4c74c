/**
 * `request.json`: what one `run-phase` call in the container is asked to do
 * (images/README.md). Built and validated here, before any container starts,
 * so bad input fails fast with every problem named; RUN_REQUEST_SCHEMA is
 * what run-phase accepts, for requests made some other way (tests).
 */
import path from 'node:path';
import { UserError } from '../errors.js';
import { contractFile, INT, objectSchema, STRING, STRINGS } from './check-json.js';
import { PHASES } from './run-metadata.js';
import * as validators from './validators.generated.js';
import type { Phase } from './run-metadata.js';

export interface RunRequest {
  readonly phase: Phase;
  /** Name of the script file in `/drdsafe/in`. */
  readonly scriptName: string;
  /** SW_CONTROL_DIRECTORY inside the jail, with a trailing slash. */
  readonly controlDirectory: string;
  readonly softwareSpec: string;
  readonly timeoutSeconds: number;
  readonly traceSyscalls: readonly string[];
  readonly traceAll: boolean;
  readonly stringLimit: number;
  /** Jail paths of shared file systems (bind mounts of booted-tree paths). */
  readonly shared: readonly string[];
  readonly maxTraceBytes: number;
  /** Whether `/drdsafe/in/booted.tar` replaces the built-in booted tree. */
  readonly bootedArchive: boolean;
  /** Run in the same jail without strace (benchmarks). */
  readonly untraced: boolean;
  /** The script's stdin and stdout are a terminal joined to the exec's streams (`drdsafe run --interactive`). */
  readonly interactive: boolean;
  /** The `output-size` limit of stdout.txt and stderr.txt. Default (run-phase's): 64 MiB. */
  readonly maxOutputBytes?: number;
  /** The size of each tree's tmpfs, at least 16 MiB. Default (run-phase's): 256 MiB. */
  readonly treeBytes?: number;
  /**
   * Branch exploration: what this run changes in the booted system before the
   * clone is taken (so the inactive image has it too). Default: nothing.
   */
  readonly variant?: BootedVariant;
  /**
   * The comparison run: the script runs on the booted tree itself (its root
   * is the booted system's, not the clone's) with `SW_SESSION_IS_DRD` unset,
   * as it runs outside DRD. Default: `false` (the runcmd jail on the clone).
   */
  readonly outsideDrd?: boolean;
}

/**
 * Changes to the booted system a variant of branch exploration makes
 * (harness/explore/ plans them), applied by run-phase in this order:
 * `files` are written into the booted tree before it boots, each `daemon`
 * is started in the booted system once it is up (a stand-in, the program
 * linked at `program`, writing its pid to `pidFile`, recording every signal
 * and request in the witness log), and each `pidFile` gets the pid of a
 * running daemon; then the tree is cloned.
 */
export interface BootedVariant {
  readonly files: readonly { readonly path: string; readonly content: string; readonly mode: number }[];
  readonly directories: readonly string[];
  readonly daemons: readonly { readonly name: string; readonly pidFile: string; readonly program: string }[];
  readonly pidFiles: readonly { readonly path: string; readonly daemon: string }[];
}

const POSITIVE = { type: 'integer', minimum: 1 } as const;
/** An absolute path with no `..` part. */
const ABSOLUTE = { ...STRING, pattern: '^/(?!.*(^|/)\\.\\.(/|$)).+' } as const;
/** A daemon name: what its stand-in is run as (its comm and argv[0]'s base name). */
const DAEMON_NAME = { ...STRING, pattern: '^[A-Za-z0-9_][A-Za-z0-9_.+-]*$' } as const;

const BOOTED_VARIANT_SCHEMA = objectSchema<BootedVariant>()({
  description: 'what a variant of branch exploration changes in the booted system before the clone',
  properties: {
    files: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { path: ABSOLUTE, content: STRING, mode: { ...INT, minimum: 0, maximum: 0o7777 } },
        required: ['path', 'content', 'mode'],
      },
    },
    directories: { type: 'array', items: ABSOLUTE },
    daemons: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { name: DAEMON_NAME, pidFile: ABSOLUTE, program: ABSOLUTE },
        required: ['name', 'pidFile', 'program'],
      },
    },
    pidFiles: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { path: ABSOLUTE, daemon: DAEMON_NAME }, required: ['path', 'daemon'] },
    },
  },
  required: ['files', 'directories', 'daemons', 'pidFiles'],
});

export const RUN_REQUEST_SCHEMA = objectSchema<RunRequest>()({
  description: 'request.json: what one run-phase call in the sandbox container is asked to do',
  properties: {
    phase: { enum: [...PHASES] },
    scriptName: { ...STRING, pattern: '^[^/]+$' },
    controlDirectory: { ...STRING, pattern: '^/.*/$' },
    softwareSpec: STRING,
    timeoutSeconds: { type: 'number', exclusiveMinimum: 0 },
    traceSyscalls: { type: 'array', items: { ...STRING, pattern: '^[a-z_][a-z0-9_]*$' } },
    traceAll: { type: 'boolean' },
    stringLimit: POSITIVE,
    shared: { ...STRINGS, items: { ...STRING, pattern: '^/.' } },
    maxTraceBytes: POSITIVE,
    bootedArchive: { type: 'boolean' },
    untraced: { type: 'boolean' },
    interactive: { type: 'boolean' },
    maxOutputBytes: POSITIVE,
    treeBytes: { ...INT, minimum: 16 * 1024 * 1024 },
    variant: BOOTED_VARIANT_SCHEMA,
    outsideDrd: { type: 'boolean' },
  },
  required: [
    'phase',
    'scriptName',
    'controlDirectory',
    'softwareSpec',
    'timeoutSeconds',
    'traceSyscalls',
    'traceAll',
    'stringLimit',
    'shared',
    'maxTraceBytes',
    'bootedArchive',
    'untraced',
    'interactive',
  ],
});

/** request.json's text checked against the contract (buildRunRequest's output always passes). */
export const parseRunRequest = contractFile<RunRequest>(validators.runRequest, 'request.json').parse;

export interface RunRequestInput {
  readonly phase: Phase;
  readonly traceSyscalls: readonly string[];
  /** Default: `60`. */
  readonly timeoutSeconds?: number;
  /** Default: `false`. */
  readonly traceAll?: boolean;
  /** Default: none. */
  readonly shared?: readonly string[];
  /** Default: `false`. */
  readonly bootedArchive?: boolean;
  /** Default: `false`. */
  readonly untraced?: boolean;
  /** Default: `false`. */
  readonly interactive?: boolean;
  /** strace `-s`. Default: `4096`. */
  readonly stringLimit?: number;
  /** Default: 256 MiB. */
  readonly maxTraceBytes?: number;
  /** Default: `DRDSAFE-TEST`. */
  readonly product?: string;
  /** Default: `payload`. */
  readonly fileset?: string;
  /** Default: none. */
  readonly variant?: BootedVariant;
  /** Default: `false`. */
  readonly outsideDrd?: boolean;
}

export const SCRIPT_NAME = 'script';
export const MAX_TIMEOUT_SECONDS = 3600;

export function buildRunRequest(input: RunRequestInput): RunRequest {
  const problems: string[] = [];
  const timeoutSeconds = input.timeoutSeconds ?? 60;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
    problems.push(`--timeout: Expected \`seconds\` to be a number in (0, ${MAX_TIMEOUT_SECONDS}], got \`${String(timeoutSeconds)}\``);
  }
  const shared: string[] = [];
  for (const p of input.shared ?? []) {
    const normal = path.posix.normalize(p).replace(/\/+$/, '');
    if (!p.startsWith('/') || p.split('/').includes('..') || normal === '' || normal === '/') {
      problems.push(`--shared: Expected an absolute path below / inside the image, got \`${p}\``);
    } else if (!shared.includes(normal)) {
      shared.push(normal);
    }
  }
  const product = input.product ?? 'DRDSAFE-TEST';
  const fileset = input.fileset ?? 'payload';
  for (const [name, value] of [
    ['product', product],
    ['fileset', fileset],
  ] as const) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(value)) problems.push(`${name}: Expected an SD tag ([A-Za-z0-9_.+-]), got \`${value}\``);
  }
  if (!input.traceAll && !input.untraced && input.traceSyscalls.length === 0) {
    problems.push('traceSyscalls: Expected at least one syscall to trace (or traceAll)');
  }
  for (const s of input.traceSyscalls) {
    if (!/^[a-z_][a-z0-9_]*$/.test(s)) problems.push(`traceSyscalls: Expected syscall names, got \`${s}\``);
  }
  if (problems.length > 0) {
    throw new UserError('INPUT_INVALID', `invalid run options: ${problems.join('; ')}`, {
      hint: 'fix the options listed and run again (see `drdsafe run --help`)',
    });
  }
  return {
    phase: input.phase,
    scriptName: SCRIPT_NAME,
    controlDirectory: `/var/adm/sw/products/${product}/${fileset}/`,
    softwareSpec: `${product}.${fileset},r=1.0,a=HP-UX_B.11.31_IA,v=HP,l=/`,
    timeoutSeconds,
    traceSyscalls: [...new Set(input.traceSyscalls)].sort(),
    traceAll: input.traceAll ?? false,
    stringLimit: input.stringLimit ?? 4096,
    shared,
    maxTraceBytes: input.maxTraceBytes ?? 256 * 1024 * 1024,
    bootedArchive: input.bootedArchive ?? false,
    untraced: input.untraced ?? false,
    interactive: input.interactive ?? false,
    ...(input.variant !== undefined ? { variant: input.variant } : {}),
    ...(input.outsideDrd === true ? { outsideDrd: true } : {}),
  };
}
