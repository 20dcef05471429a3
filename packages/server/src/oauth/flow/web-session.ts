import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionJson, TokensApi } from '../../tokens/module.ts';
import { PORTAL_CLIENT_ID } from '../apps/registry.ts';
import type { FlowContext } from './context.ts';
import { oauthError, TokenRequestInvalid } from './errors.ts';
import type { SessionEvents } from './session-events.ts';
import { redeemCode } from './token.ts';

/** What the web UI's sign-in and the sign-out need beyond the flow: the tokens module's web sessions. */
export type WebSessionContext = FlowContext & {
  readonly tokens: Pick<TokensApi, 'openWebSession' | 'endWebSession' | 'endWebSessions'>;
  /** Other modules told of sessions opened and asked at sign-out (SAML). */
  readonly sessionEvents: SessionEvents;
};

export interface SessionRequest {
  code?: string | undefined;
  code_verifier?: string | undefined;
  redirect_uri?: string | undefined;
}

/**
 * POST oauth2/session: the web UI (the portal's own client, arcgisonline) exchanges its
 * authorization code for a web session instead of an API token. The code goes through the
 * same checks as at oauth2/token (single use, client, redirect URI, PKCE, active user); PKCE
 * is required, since the web UI has no secret. The session is bound to the code's grant: a
 * replayed code ends it on every node.
 */
export async function openSessionFromCode(
  ctx: WebSessionContext,
  reply: FastifyReply,
  req: SessionRequest,
): Promise<SessionJson> {
  if (!req.code_verifier)
    throw oauthError(
      TokenRequestInvalid,
      'invalid_request',
      'code_verifier is missing: the web UI signs in with PKCE.',
    );
  const { row, user } = await redeemCode(ctx, req, { clientId: PORTAL_CLIENT_ID, authenticated: false });
  const { sessionId, ...session } = await ctx.tokens.openWebSession(reply, user, { grantId: row.grant_id });
  // A revocation of the grant is remembered as long as the session could live.
  await ctx.grants.extend(row.grant_id, session.expires);
  await ctx.sessionEvents.fireOpened({
    sessionId,
    grantId: row.grant_id,
    userId: user.id,
    expires: session.expires,
  });
  return session;
}

/** Where GET oauth2/signout may send the browser: a redirect URI registered for the app, else nowhere. */
export async function signOutTarget(
  ctx: FlowContext,
  clientId: string | undefined,
  redirectUri: string | undefined,
): Promise<string | undefined> {
  if (!clientId || !redirectUri) return undefined;
  const app = await ctx.apps.find(clientId);
  return app && ctx.redirectAllowed(app, redirectUri) ? redirectUri : undefined;
}

/**
 * Whether a GET sign-out may act at once: the browser says it comes from the portal's own
 * pages (or was typed), or says nothing (a program, which holds no cookie of a victim). A
 * navigation from another site, or a sibling site, gets a confirmation page instead (a link or
 * an image elsewhere must not sign the user out).
 */
export function signOutFromPortal(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}
