import { BadRequest } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';

/** Deeper JSON than this is refused before it is parsed: no parameter of the API nests so deep. */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of a JSON text, counted without parsing it (strings skipped), stopping as
 * soon as it passes `limit`: a body of a million '[' must not reach JSON.parse's recursion.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Refuses JSON nested deeper than MAX_JSON_DEPTH with a 400 that says so. */
export function checkJsonDepth(text: string): void {
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw new MeridianError(
      BadRequest,
      `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep; no parameter of this API nests so deep.`,
    );
}

/** Parses a JSON text a client sent in the parameter `name`: depth-checked, errors name it. */
export function parseClientJson(name: string, text: string): unknown {
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH))
    throw new MeridianError(BadRequest, `'${name}' is JSON nested more than ${MAX_JSON_DEPTH} levels deep.`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new MeridianError(BadRequest, `'${name}' is not valid JSON: ${(err as Error).message}.`);
  }
}
