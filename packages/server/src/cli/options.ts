/**
 * Reading a command's parsed options (node:util parseArgs has already checked their types:
 * a string option holds a string, a boolean one true).
 */
import { UsageError } from './usage-error.ts';

export type Options = Readonly<Record<string, string | boolean | undefined>>;

/** The value of a string option, or undefined when it was not given. */
export function text(options: Options, name: string): string | undefined {
  const v = options[name];
  return typeof v === 'string' ? v : undefined;
}

/** Whether a boolean option was given. */
export const given = (options: Options, name: string): boolean => options[name] === true;

/** A string option holding a whole number; anything else is a usage error naming the option. */
export function wholeNumber(options: Options, name: string): number | undefined {
  const v = text(options, name);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, not '${v}'.`);
  return Number(v);
}
