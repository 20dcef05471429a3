import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../http/caller.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { CsrfRequired } from './errors.ts';
import type { TokenService } from './token-service.ts';
import { CSRF_HEADER, presentedToken } from './token-sources.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'DELETE', 'PATCH']);

/** Sign-in (OAuth's page and the web UI's code exchange) must work whatever cookie the browser still holds. */
const SIGN_IN_PATHS = new Set(['/sharing/rest/oauth2/session', '/sharing/rest/oauth2/signin']);

function isSessionSignIn(req: FastifyRequest): boolean {
  return req.method === 'POST' && SIGN_IN_PATHS.has(req.url.split('?')[0]!.replace(/\/+$/, ''));
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Finds the caller of a request. A token (parameter or header) that does not verify is an
 * error even on a public endpoint (498), so that clients refresh it; a stale session cookie
 * only makes the request anonymous. Cookie callers must send X-Meridian-CSRF on state changes.
 */
export function createAuthenticator(tokens: TokenService): Authenticator {
  return async (req) => {
    const presented = presentedToken(req);
    if (!presented) return undefined;
    if (presented.via === 'cookie' && isSessionSignIn(req)) return undefined;
    const request = { ...presented, ip: req.ip, referer: req.headers.referer };
    let any: Awaited<ReturnType<typeof tokens.verifyAny>>;
    try {
      any = await tokens.verifyAny(request);
    } catch (err) {
      if (presented.via === 'cookie') return undefined;
      throw err;
    }
    // An app token acts as no user: the request is anonymous, and says which app made it.
    if (any.kind === 'app') {
      req.appCaller = any.app;
      return undefined;
    }
    const verified = any.caller;
    if (presented.via === 'cookie' && STATE_CHANGING.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      const expected = await tokens.csrfFor(presented.token);
      if (typeof sent !== 'string' || !expected || !sameString(sent, expected))
        throw new MeridianError(
          CsrfRequired,
          'This request was signed in with the session cookie but did not carry a valid X-Meridian-CSRF header. Send the csrfToken from GET /sharing/rest/web/session in that header.',
        );
    }
    const { expires: _expires, ...caller } = verified;
    return caller;
  };
}
