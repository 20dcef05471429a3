import type { FastifyRequest } from 'fastify';
import type { Caller } from '../http/caller.ts';

export const SESSION_COOKIE = 'meridian_session';
export const CSRF_HEADER = 'x-meridian-csrf';

function bearer(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/**
 * Where a request's credential comes from, in order of precedence: the `token` parameter,
 * `Authorization: Bearer`, `X-Esri-Authorization: Bearer`, then the session cookie.
 */
export function presentedToken(req: FastifyRequest): { token: string; via: Caller['via'] } | undefined {
  const param = req.args?.token;
  if (typeof param === 'string' && param !== '') return { token: param, via: 'token' };
  const header = bearer(req.headers.authorization) ?? bearer(req.headers['x-esri-authorization']);
  if (header) return { token: header, via: 'token' };
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (cookie) return { token: cookie, via: 'cookie' };
  return undefined;
}
