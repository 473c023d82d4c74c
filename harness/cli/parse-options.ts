/**
 * Thin wrapper over node:util parseArgs that turns its errors into UserError
 * with the command's usage line as the hint.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export function parseOptions<T extends OptionSpec>(
  argv: readonly string[],
  options: T,
  usageLine: string,
): { values: ReturnType<typeof parseArgs<{ options: T; allowPositionals: true; strict: true }>>['values']; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values, positionals };
  } catch (error) {
    throw new UserError('USAGE', (error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), {
      cause: error,
      hint: `usage: ${usageLine}`,
    });
  }
}

/** Checks a value against a closed list, with the formula ``Expected `x` to be one of ..., got `v` ``. */
export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError('USAGE', `Expected \`--${name}\` to be one of ${allowed.map((a) => `\`${a}\``).join(', ')}, got \`${value}\``);
}
