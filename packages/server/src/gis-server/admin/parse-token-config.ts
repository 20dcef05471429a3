/**
 * security/tokens/update's one parameter, tokenManagerConfig: a JSON string
 * {"type":"BUILTIN","properties":{"sharedKey","longTimeout","shortTimeout"}} as ArcGIS Server
 * takes it (minutes as numbers or numeric strings). A timeout left out keeps its value; a
 * sharedKey is refused (Meridian keeps its own signing keys), never ignored.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { SharedKeyUnsupported, TokenConfigInvalid } from './errors.ts';
import type { TokenTimeouts } from './token-config.ts';

/** The longest token lifetime any Meridian node issues: 14 days, as ArcGIS. */
export const MAX_TIMEOUT_MINUTES = 20_160;

const KNOWN = new Set(['sharedKey', 'longTimeout', 'shortTimeout']);

const invalid = (message: string) => new MeridianError(TokenConfigInvalid, message);

function minutes(name: string, v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_TIMEOUT_MINUTES)
    throw invalid(
      `${name} must be a whole number of minutes from 1 to ${MAX_TIMEOUT_MINUTES}, not ${JSON.stringify(v)}.`,
    );
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The timeouts after the update, from the raw parameter and the timeouts in force. */
export function parseTokenManagerConfig(raw: string, current: TokenTimeouts): TokenTimeouts {
  let config: unknown;
  try {
    config = JSON.parse(raw);
  } catch {
    throw invalid(
      'tokenManagerConfig is not JSON: send {"type":"BUILTIN","properties":{"longTimeout":1440,"shortTimeout":60}}.',
    );
  }
  if (!isObject(config)) throw invalid('tokenManagerConfig must be a JSON object with type and properties.');
  if (config.type !== undefined && config.type !== 'BUILTIN')
    throw invalid(
      `tokenManagerConfig type must be BUILTIN (the only token manager), not ${JSON.stringify(config.type)}.`,
    );
  const props = config.properties;
  if (!isObject(props))
    throw invalid('tokenManagerConfig needs a properties object: {"longTimeout":…,"shortTimeout":…}.');
  const unknown = Object.keys(props).filter((k) => !KNOWN.has(k));
  if (unknown.length)
    throw invalid(
      `Unknown tokenManagerConfig properties: ${unknown.join(', ')} (known: sharedKey, longTimeout, shortTimeout).`,
    );
  if (props.sharedKey !== undefined && props.sharedKey !== null && props.sharedKey !== '') {
    if (typeof props.sharedKey !== 'string') throw invalid('sharedKey must be a string.');
    throw new MeridianError(
      SharedKeyUnsupported,
      "sharedKey is not accepted: Meridian signs this server's tokens with its own keys (random, sealed at rest, rotated every 30 days, never shared). Nothing was changed; send the timeouts without sharedKey.",
    );
  }
  const next: TokenTimeouts = {
    longTimeout: minutes('longTimeout', props.longTimeout) ?? current.longTimeout,
    shortTimeout: minutes('shortTimeout', props.shortTimeout) ?? current.shortTimeout,
  };
  if (next.shortTimeout > next.longTimeout)
    throw invalid(
      `shortTimeout (${next.shortTimeout} minutes) must not be longer than longTimeout (${next.longTimeout} minutes).`,
    );
  return next;
}
