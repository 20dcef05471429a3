import type { FastifyRequest } from 'fastify';
import { Forbidden } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';

/**
 * Refuses a browser request sent from another site (login CSRF, forced sign-out): the Origin
 * header, when the browser sends one, must be this portal as the browser addressed it (the
 * Host header); Sec-Fetch-Site, when sent, must be same-origin (or none: typed by the user).
 * Requests from programs send neither and are not a CSRF vector.
 */
export function requireSameOrigin(req: FastifyRequest): void {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none')
    refuse(`Sec-Fetch-Site: ${site}`);
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const host = req.headers.host;
  let ok = false;
  try {
    const o = new URL(origin);
    ok = o.protocol === 'https:' && !!host && o.host.toLowerCase() === host.toLowerCase();
  } catch {
    ok = false;
  }
  if (!ok) refuse(`Origin: ${origin.slice(0, 200)}`);
}

function refuse(what: string): never {
  throw new MeridianError(
    Forbidden,
    'This request came from another site; sign in and out from the portal’s own pages.',
    { detail: what },
  );
}
