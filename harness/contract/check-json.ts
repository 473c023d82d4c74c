/**
 * How the run contract's files are checked: each is described by a JSON Schema
 * beside its TypeScript type, validated with ajv, and a file that does not
 * match is refused with every problem named (`file: field: problem, got
 * value`), never read with a default in place of what is missing.
 *
 * The validators are ajv's code for these schemas, generated ahead of time
 * (`validators.generated.ts`, made by `npm run contract:validators`; a test
 * fails while it is out of date): compiling the schemas at start-up cost
 * every `drdsafe analyze` about 150 ms of CPU.
 *
 * `objectSchema<T>()` ties a schema to its type at compile time: every
 * property of `T` needs a property schema, no other property may have one, and
 * `required` must list exactly the properties `T` does not mark optional. The
 * value types inside are checked by the tests that validate real files.
 */
import { readFile } from 'node:fs/promises';
import type { ErrorObject, SchemaObject } from 'ajv';
import { UserError } from '../errors.js';

/** One way a file breaks the contract: where in it (`daemons[0].pid`, `''` for the whole) and what is wrong. */
export interface ContractProblem {
  readonly path: string;
  readonly message: string;
}

/** A run-directory file that is not what the contract says; names the file and every problem in it. */
export class ContractError extends UserError {
  readonly file: string;
  readonly problems: readonly ContractProblem[];

  constructor(file: string, problems: readonly ContractProblem[], options: { readonly cause?: unknown } = {}) {
    const listed = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
    super('INPUT_INVALID', `${file} does not match the run contract: ${listed}`, {
      hint: 'the run directory is damaged or was written by another version of drdsafe; run the script again',
      ...(options.cause !== undefined ? { cause: options.cause } : {}),
    });
    this.file = file;
    this.problems = problems;
  }
}

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** A JSON Schema for an object of type `T`, checked against `T` by the compiler (see the module comment). */
export function objectSchema<T>() {
  return <const R extends readonly RequiredKeys<T>[]>(schema: {
    readonly description?: string;
    readonly properties: { readonly [K in keyof T]-?: SchemaObject };
    readonly required: R & (Exclude<RequiredKeys<T>, R[number]> extends never ? unknown : { missing: Exclude<RequiredKeys<T>, R[number]> });
    /** Default: `false` (a field the contract does not name is a problem). */
    readonly additionalProperties?: boolean;
  }): SchemaObject => ({ type: 'object', additionalProperties: false, ...schema });
}

/** Schemas of the plain values the contract's files hold. */
export const INT = { type: 'integer' } as const;
export const NUMBER = { type: 'number' } as const;
export const STRING = { type: 'string' } as const;
export const STRINGS = { type: 'array', items: STRING } as const;
/** A duration in milliseconds. */
export const MS = { type: 'number', minimum: 0 } as const;
/** A string of at least one character (`minLength` would make the generated validators need ajv's runtime). */
export const NON_EMPTY = { type: 'string', pattern: '^.' } as const;

/** The options the validators are generated with (every problem at once, the schemas checked strictly). */
export const AJV_OPTIONS = { allErrors: true, strict: true, allowUnionTypes: true } as const;

/** A validator as ajv generates it: true or false, and the problems of the last value it refused. */
export interface Validator {
  (value: unknown): boolean;
  errors?: readonly ErrorObject[] | null;
}

/** A check by one validator: the value as `T`, or a ContractError naming `file`. */
export function checker<T>(validate: Validator): (value: unknown, file: string) => T {
  return (value, file) => {
    if (validate(value)) return value as T;
    throw new ContractError(file, problemsOf(validate.errors ?? [], value));
  };
}

/** Parses JSON text and checks it; text that is not JSON is a problem of the whole file. */
export function parseChecked<T>(text: string, file: string, check: (value: unknown, file: string) => T): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ContractError(file, [{ path: '', message: `not valid JSON (${(error as Error).message})` }], { cause: error });
  }
  return check(value, file);
}

/** A file's text; `undefined` when it does not exist (a run that got less far leaves fewer files). */
export async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads and checks a JSON file; `undefined` when it does not exist. */
export async function readChecked<T>(file: string, check: (value: unknown, file: string) => T): Promise<T | undefined> {
  const text = await readIfThere(file);
  return text === undefined ? undefined : parseChecked(text, file, check);
}

export interface ContractFile<T> {
  /** The text of the file checked; `file` names it in errors. */
  readonly parse: (text: string, file?: string) => T;
  /** The file read and checked; `undefined` when there is none. */
  readonly read: (file: string) => Promise<T | undefined>;
}

/** The checked parse and read of one JSON file of the contract, whose errors call it `name` unless told its path. */
export function contractFile<T>(validate: Validator, name: string): ContractFile<T> {
  const check = checker<T>(validate);
  return {
    parse: (text, file = name) => parseChecked(text, file, check),
    read: (file) => readChecked(file, check),
  };
}

/** `/daemons/0/pid` -> `daemons[0].pid`. */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`), '');
}

function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const part of pointer.split('/').slice(1)) v = (v as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  return v;
}

function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function problemsOf(errors: readonly ErrorObject[], root: unknown): ContractProblem[] {
  const out: ContractProblem[] = [];
  for (const e of errors) {
    const at = fieldPath(e.instancePath);
    const join = (name: string): string => (at === '' ? name : `${at}.${name}`);
    let problem: ContractProblem;
    if (e.keyword === 'required') {
      problem = { path: join(String(e.params.missingProperty)), message: 'missing' };
    } else if (e.keyword === 'additionalProperties') {
      problem = { path: join(String(e.params.additionalProperty)), message: 'not a field of the contract' };
    } else if (e.keyword === 'type') {
      const types = String(e.params.type).split(',').join(' or ');
      problem = { path: at, message: `expected ${types}, got ${shown(valueAt(root, e.instancePath))}` };
    } else if (e.keyword === 'pattern') {
      problem = { path: at, message: `expected a string matching /${String(e.params.pattern)}/, got ${shown(valueAt(root, e.instancePath))}` };
    } else if (e.keyword === 'enum' || e.keyword === 'const') {
      const allowed = e.keyword === 'enum' ? (e.params.allowedValues as unknown[]) : [e.params.allowedValue];
      problem = { path: at, message: `expected ${allowed.map(shown).join(' or ')}, got ${shown(valueAt(root, e.instancePath))}` };
    } else {
      problem = { path: at, message: `${e.message ?? e.keyword}, got ${shown(valueAt(root, e.instancePath))}` };
    }
    if (!out.some((p) => p.path === problem.path && p.message === problem.message)) out.push(problem);
  }
  return out;
}
