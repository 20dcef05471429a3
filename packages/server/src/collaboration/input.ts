/** Checks of administrators' input that name the parameter and the limit (collaboration.invalid_input). */
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { CollaborationInvalidInput } from './errors.ts';

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 250;

export function invalid(message: string): MeridianError {
  return new MeridianError(CollaborationInvalidInput, message);
}

/** A trimmed text of at most `max` characters; `required` refuses an empty one. */
export function checkText(param: string, value: string | undefined, max: number, required: boolean): string {
  const v = (value ?? '').trim();
  if (required && !v) throw invalid(`Missing required parameter '${param}'.`);
  if ([...v].length > max)
    throw invalid(`'${param}' is ${[...v].length} characters long: at most ${max} are allowed.`);
  return v;
}

/** `config` as given: empty, or a JSON object. */
export function checkConfig(value: string | undefined): string {
  const v = (value ?? '').trim();
  if (!v) return '';
  try {
    const parsed: unknown = JSON.parse(v);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return v;
  } catch {
    // below
  }
  throw invalid("'config' must be a JSON object, such as {} .");
}

/** An e-mail address: something@something, at most 254 characters (empty allowed). */
export function checkEmail(param: string, value: string | undefined): string {
  const v = checkText(param, value, 254, false);
  if (v && !/^[^\s@]+@[^\s@]+$/.test(v)) throw invalid(`'${param}' is not an e-mail address.`);
  return v;
}
