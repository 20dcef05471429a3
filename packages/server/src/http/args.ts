import type { FastifyRequest } from 'fastify';
import { BadRequest } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';

/** The query string's parameters; a parameter given twice is refused. */
export function queryArgs(req: FastifyRequest): Record<string, unknown> {
  const query = (req.query ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) throw new MeridianError(BadRequest, `Parameter '${k}' was sent more than once.`);
  }
  return query;
}

/** A decoded JSON or form body as parameters. In a form, a repeated field becomes an array. */
function bodyArgs(body: unknown, form: boolean): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new MeridianError(BadRequest, 'The request body must be form fields or a JSON object.');
  if (form)
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (Array.isArray(v)) throw new MeridianError(BadRequest, `Parameter '${k}' was sent more than once.`);
    }
  return body as Record<string, unknown>;
}

/** request.args for a JSON or form request: query parameters overlaid with body parameters. */
export function mergeArgs(req: FastifyRequest): void {
  const form = /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '');
  req.args = { ...queryArgs(req), ...bodyArgs(req.body, form) };
}
