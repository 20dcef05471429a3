import type { FastifyReply } from 'fastify';
import type { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { type AuthorizeOutcome, type AuthorizeRequest, beginAuthorization, PageError } from './authorize.ts';
import { completeAuthorization, pendingAuthorization, type SignedInUser } from './complete.ts';
import type { FlowContext } from './context.ts';
import { AUTO_POST_CSP, autoPostPage, signedOutPage } from './pages.ts';
import { html, sendErrorPage } from './routes.ts';

/**
 * What another sign-in (SAML) needs of the OAuth flow: it proves who the user is its own way,
 * then finishes the authorization exactly as the password sign-in does.
 */
export interface ExternalSignIn {
  /** Checks and stores an authorization request as oauth2/authorize does (PageError: show it on the portal's page). */
  begin(req: AuthorizeRequest): Promise<AuthorizeOutcome>;
  /** The pending authorization behind an oauth_state (PageError when it is gone). */
  pending(oauthState: string): Promise<{ id: string; clientId: string }>;
  /**
   * Finishes it for the user: where the browser goes next (the app's verified redirect URI, or
   * the approval page). onGrant hears the id of the grant made for it first (what the code, the
   * tokens and the web session it leads to are bound to).
   */
  complete(
    oauthState: string,
    user: SignedInUser,
    onGrant?: (grantId: string) => Promise<void>,
  ): Promise<string>;
  /** The portal's HTML error page (the error's status, message, fix and code). */
  sendError(reply: FastifyReply, error: MeridianError): Promise<FastifyReply>;
  /** The portal's signed-out page (a SAML logout finished). */
  sendSignedOut(reply: FastifyReply): Promise<FastifyReply>;
  /** A page posting a form to another site at once (a hashed script; a button without script). */
  sendAutoPost(
    reply: FastifyReply,
    title: string,
    action: string,
    fields: Record<string, string>,
  ): FastifyReply;
}

export function externalSignIn(ctx: FlowContext, portalName: () => Promise<string>): ExternalSignIn {
  return {
    begin: (req) => beginAuthorization(ctx, req),
    async pending(oauthState) {
      const a = await pendingAuthorization(ctx, oauthState);
      return { id: a.id, clientId: a.client_id };
    },
    complete: (oauthState, user, onGrant) => completeAuthorization(ctx, oauthState, user, onGrant),
    sendError: async (reply, error) => sendErrorPage(reply, await portalName(), error),
    sendSignedOut: async (reply) => html(reply, 200, signedOutPage(await portalName(), false)),
    sendAutoPost: (reply, title, action, fields) =>
      html(reply, 200, autoPostPage(title, action, fields), AUTO_POST_CSP),
  };
}

export type { AuthorizeOutcome, AuthorizeRequest, SignedInUser };
export { PageError };
