import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { ResponseInvalid } from './errors.ts';

const ajv = new Ajv({ allErrors: false, strict: false, coerceTypes: false, useDefaults: false });

type JsonSchema = Record<string, unknown>;

/**
 * The schema with every object that lists its properties closed to others
 * (`additionalProperties: false` unless it says otherwise): a field the schema does not declare
 * is missing from the OpenAPI document and the web UI's types, and a serializer that follows the
 * schema would drop it without a word; checked against the closed schema, it is an error instead.
 */
export function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (!schema || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema as JsonSchema)) {
    if (k === 'properties' || k === 'patternProperties')
      out[k] = Object.fromEntries(Object.entries(v as JsonSchema).map(([p, s]) => [p, closed(s)]));
    else if (k === 'enum' || k === 'const' || k === 'default' || k === 'examples') out[k] = v;
    else out[k] = closed(v);
  }
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}

function describe(v: ValidateFunction): string {
  const e = v.errors?.[0];
  if (!e) return 'does not match';
  const at = e.instancePath || '(the answer)';
  if (e.keyword === 'additionalProperties')
    return `${at} has the undeclared field '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  return `${at} ${e.message ?? 'is invalid'}`;
}

/**
 * A check of a route's answers against its response schema, compiled on first use. A mismatch
 * throws server.response_invalid (the log names the route and the field), so that no answer
 * leaves with a field or a type its schema does not declare.
 */
export function responseCheck(schema: TSchema, routeName: string): (payload: unknown) => void {
  let validate: ValidateFunction | undefined;
  return (payload) => {
    validate ??= ajv.compile(closed(schema) as JsonSchema);
    if (validate(payload)) return;
    throw new MeridianError(ResponseInvalid, undefined, {
      detail: `${routeName}: the answer does not match its response schema: ${describe(validate)}`,
    });
  };
}
