import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRow } from '../identity/module.ts';
import type { TokensContext } from './context.ts';
import type { SessionJson } from './schemas.ts';
import { issueSignedIn } from './signed-in.ts';
import { SESSION_COOKIE } from './token-sources.ts';
import { endWebSession } from './web-sessions.ts';

/** The session cookie: never readable by script, HTTPS only, never sent from another site. */
const COOKIE_OPTS = { httpOnly: true, secure: true, sameSite: 'strict', path: '/' } as const;

/**
 * Opens a web session for a user whose identity was just proven (the web UI's OAuth code
 * exchange), sets its cookie and answers what GET web/session answers (the CSRF token too).
 */
export async function openSessionCookie(
  ctx: Pick<TokensContext, 'db' | 'tokenPolicy' | 'tokens' | 'clock'>,
  reply: FastifyReply,
  user: Pick<UserRow, 'id' | 'username' | 'token_epoch'>,
  opts: { grantId?: string },
): Promise<SessionJson & { sessionId: string }> {
  const session = await issueSignedIn(ctx, user, { kind: 'web', ...opts });
  reply.setCookie(SESSION_COOKIE, session.token, { ...COOKIE_OPTS, maxAge: session.minutes * 60 });
  return {
    username: user.username,
    csrfToken: (await ctx.tokens.csrfFor(session.token)) ?? '',
    expires: session.expires,
    sessionId: session.sessionId!,
  };
}

/** Clears the session cookie (whatever it holds). */
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, COOKIE_OPTS);
}

/**
 * Ends the web session of a request signed in with the session cookie (on every node: the
 * session row goes) and clears the cookie; answers whether a session was ended. A request that
 * carries no cookie (the browser did not send it) clears nothing.
 */
export async function endSessionCookie(
  ctx: Pick<TokensContext, 'db'>,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<boolean> {
  if (!req.cookies?.[SESSION_COOKIE]) return false;
  const sessionId = req.caller?.via === 'cookie' ? req.caller.sessionId : undefined;
  if (sessionId) await endWebSession(ctx.db.kysely, sessionId);
  clearSessionCookie(reply);
  return sessionId !== undefined;
}
