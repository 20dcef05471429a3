import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { fileResponse, route } from '../../http/route.ts';
import { requireSameOrigin } from '../../http/same-origin.ts';
import { catalogue, isMeridianError, type MeridianError } from '../../kernel/errors/meridian-error.ts';
import { SessionJson } from '../../tokens/module.ts';
import { PORTAL_CLIENT_ID } from '../apps/registry.ts';
import { beginAuthorization, PageError } from './authorize.ts';
import { cancelAuthorization, completeAuthorization, pendingAuthorization, takeOobCode } from './complete.ts';
import type { FlowContext } from './context.ts';
import {
  AUTO_POST_CSP,
  approvalPage,
  autoPostPage,
  errorPage,
  PAGE_CSP,
  signedOutPage,
  signInPage,
  signOutConfirmPage,
} from './pages.ts';
import { tokenRequest } from './token.ts';
import {
  openSessionFromCode,
  signOutFromPortal,
  signOutTarget,
  type WebSessionContext,
} from './web-session.ts';

const HTML = fileResponse('A page of the portal.', ['text/html']);
const Text = (description: string, maxLength = 2048) =>
  Type.Optional(Type.String({ description, maxLength }));

/** What oauth2/authorize takes: RFC 6749 and RFC 7636, and what ArcGIS clients also send. */
const AuthorizeParams = Type.Object({
  client_id: Text('The app (its client_id; the portal itself is arcgisonline).', 64),
  response_type: Text(
    'code (authorization code, with PKCE for browser and native apps) or token (implicit).',
    16,
  ),
  redirect_uri: Text(
    'Exactly one of the redirect URIs registered for the app, or urn:ietf:wg:oauth:2.0:oob.',
  ),
  state: Text('Returned unchanged to the app.', 4096),
  expiration: Type.Optional(
    Type.Number({
      description: 'Minutes: the refresh token (code) or access token (token) lifetime, clamped.',
    }),
  ),
  code_challenge: Text('PKCE: base64url SHA-256 of the code verifier.', 128),
  code_challenge_method: Text('PKCE: S256.', 16),
  locale: Text('Language of the page (the page is in English).', 32),
  style: Text('Page style (ArcGIS clients send it; ignored).', 32),
  display: Text('Page display (ArcGIS clients send it; ignored).', 32),
  hidecancel: Text('Hide the cancel button (ignored).', 8),
  showSocialLogins: Text('Social logins (not offered).', 8),
  canHandleCrossOrgSignIn: Text('Cross-organisation sign-in (ignored).', 8),
  persist: Text('Keep the session (ignored).', 8),
});

const SignInParams = Type.Object({
  oauth_state: Type.String({ maxLength: 64, description: 'The authorization request the page belongs to.' }),
  username: Text('The account.', 128),
  password: Text('Its password.', 1024),
  cancel: Text('true: the user cancelled; the app hears access_denied.', 8),
});

const TokenParams = Type.Object({
  grant_type: Text('authorization_code, refresh_token, exchange_refresh_token or client_credentials.', 32),
  client_id: Text('The app.', 64),
  client_secret: Text("The app's secret (confidential apps; PKCE apps send code_verifier instead).", 256),
  code: Text('authorization_code: the code.', 128),
  redirect_uri: Text('authorization_code: the redirect URI of the authorization request.'),
  code_verifier: Text('authorization_code with PKCE: the code verifier.', 128),
  refresh_token: Text('refresh_token, exchange_refresh_token: the refresh token.', 128),
  expiration: Type.Optional(
    Type.Number({
      description:
        'client_credentials: minutes the app token lives (clamped); otherwise lifetimes follow the grant.',
    }),
  ),
});

const SessionParams = Type.Object({
  code: Text('The authorization code the portal sent to the web UI (client arcgisonline).', 128),
  code_verifier: Text('The PKCE code verifier (required).', 128),
  redirect_uri: Text('The redirect URI of the authorization request.'),
});

const SignOutParams = Type.Object({
  client_id: Text('The app asking (the portal itself is arcgisonline).', 64),
  redirect_uri: Text('Where to go afterwards: followed only if it is registered for client_id.'),
});

const TokenAnswerJson = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Integer({ description: 'Seconds.' }),
  username: Type.Optional(Type.String({ description: 'The user; absent for an app token.' })),
  ssl: Type.Boolean(),
  refresh_token: Type.Optional(Type.String()),
  refresh_token_expires_in: Type.Optional(Type.Integer({ description: 'Seconds.' })),
});

/** Sends one of the portal's OAuth pages (no script unless `csp` allows one, no framing, not cached). */
export function html(reply: FastifyReply, status: number, body: string, csp = PAGE_CSP): FastifyReply {
  return (
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', csp)
      .header('x-frame-options', 'DENY')
      .header('cache-control', 'no-store')
      // Not no-referrer: under it browsers send the sign-in form with Origin: null, which the
      // same-origin check must refuse; same-origin still sends nothing to the app's site.
      .header('referrer-policy', 'same-origin')
      .send(body)
  );
}

/** A redirect that no cache keeps (it may carry a code or a token). */
function go(reply: FastifyReply, location: string): FastifyReply {
  return reply.header('cache-control', 'no-store').redirect(location, 303);
}

/** The portal's HTML error page for an error: its message, fix and code, with its HTTP status. */
export async function sendErrorPage(
  reply: FastifyReply,
  portalName: string,
  e: MeridianError,
): Promise<FastifyReply> {
  const fix = catalogue.get(e.code)?.fix ?? '';
  return html(reply, e.status, errorPage(portalName, e.message, e.code, e.message.includes(fix) ? '' : fix));
}

export function registerFlowRoutes(
  app: FastifyInstance,
  ctx: WebSessionContext & {
    portalName(): Promise<string>;
    /** The organisation's SAML login, offered on the sign-in page (the saml module's, late-bound). */
    samlLogin?: (() => Promise<{ name: string } | undefined>) | undefined;
  },
): void {
  const showError = async (reply: FastifyReply, e: MeridianError) =>
    sendErrorPage(reply, await ctx.portalName(), e);
  const saml = async () => (ctx.samlLogin ? await ctx.samlLogin() : undefined);
  const appName = async (clientId: string) =>
    clientId === PORTAL_CLIENT_ID ? undefined : `the app ${clientId}`;
  const passwordForm = async () => (ctx.builtInSignIn ? await ctx.builtInSignIn() : true);
  const pageErrors = async <T>(reply: FastifyReply, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PageError) return showError(reply, err.error);
      throw err;
    }
  };

  route(app, {
    method: 'GET',
    url: '/sharing/rest/oauth2/authorize',
    summary:
      "Starts an OAuth 2.0 sign-in (RFC 6749, PKCE S256): checks the app and its redirect URI, then shows the portal's sign-in page; errors before the redirect URI is verified are shown on the page, later ones are sent back to the app.",
    tags: ['oauth'],
    auth: 'public',
    errors: 'html',
    params: AuthorizeParams,
    response: HTML,
    handler: (_req, args, reply) =>
      pageErrors(reply, async () => {
        const outcome = await beginAuthorization(ctx, args);
        if (outcome.kind === 'redirect') return go(reply, outcome.location);
        return html(
          reply,
          200,
          signInPage({
            portalName: await ctx.portalName(),
            appName: await appName(outcome.app.clientId),
            passwordForm: await passwordForm(),
            authorizationId: outcome.authorizationId,
            saml: await saml(),
          }),
        );
      }),
  });

  route(app, {
    method: 'POST',
    url: '/sharing/rest/oauth2/signin',
    summary:
      'The sign-in page of oauth2/authorize, submitted: checks the password (throttled), then redirects to the app with a code or a token (or to oauth2/approval for the out-of-band redirect). Refused from another site.',
    tags: ['oauth'],
    auth: 'public',
    errors: 'html',
    params: SignInParams,
    response: HTML,
    handler: (req, args, reply) =>
      pageErrors(reply, async () => {
        requireSameOrigin(req);
        if (args.cancel === 'true') return go(reply, await cancelAuthorization(ctx, args.oauth_state));
        const auth = await pendingAuthorization(ctx, args.oauth_state);
        let user: Awaited<ReturnType<FlowContext['identity']['signIn']>>;
        try {
          user = await ctx.identity.signIn(args.username ?? '', args.password ?? '', req.ip);
        } catch (err) {
          if (!isMeridianError(err)) throw err;
          return html(
            reply,
            err.status === 429 ? 429 : 401,
            signInPage({
              portalName: await ctx.portalName(),
              appName: await appName(auth.client_id),
              passwordForm: await passwordForm(),
              authorizationId: args.oauth_state,
              saml: await saml(),
              username: args.username ?? '',
              error: err.message,
            }),
          );
        }
        const next = await completeAuthorization(ctx, args.oauth_state, {
          id: user.id,
          username: user.username,
          token_epoch: Number(user.token_epoch),
        });
        return go(reply, next);
      }),
  });

  route(app, {
    method: 'GET',
    url: '/sharing/rest/oauth2/approval',
    summary:
      'The out-of-band redirect (urn:ietf:wg:oauth:2.0:oob): shows the authorization code once, in the page and its title, for a native app to read.',
    tags: ['oauth'],
    auth: 'public',
    errors: 'html',
    params: Type.Object({ oauth_state: Type.String({ maxLength: 64 }) }),
    response: HTML,
    handler: (_req, args, reply) =>
      pageErrors(reply, async () =>
        html(reply, 200, approvalPage(await ctx.portalName(), await takeOobCode(ctx, args.oauth_state))),
      ),
  });

  route(app, {
    method: 'POST',
    url: '/sharing/rest/oauth2/token',
    summary:
      'Exchanges an authorization code (with code_verifier or client_secret) for an access token and a refresh token; a refresh token for an access token (refresh_token) or for a new refresh token (exchange_refresh_token); an app’s client_id and client_secret for an app token (client_credentials), which reads only what is shared publicly. Errors carry RFC 6749 error and error_description.',
    tags: ['oauth'],
    auth: 'public',
    params: TokenParams,
    response: TokenAnswerJson,
    handler: async (_req, args, reply) => {
      reply.header('cache-control', 'no-store');
      return tokenRequest(ctx, args);
    },
  });

  route(app, {
    method: 'POST',
    url: '/sharing/rest/oauth2/session',
    summary:
      "The web UI's sign-in: exchanges an authorization code of the portal's own client (arcgisonline, with PKCE) for a web session instead of a token: sets the HttpOnly session cookie and answers the CSRF token. Refused from another site; the code is checked as at oauth2/token.",
    tags: ['oauth'],
    auth: 'public',
    params: SessionParams,
    response: SessionJson,
    handler: async (req, args, reply) => {
      requireSameOrigin(req);
      reply.header('cache-control', 'no-store');
      return openSessionFromCode(ctx, reply, args);
    },
  });

  route(app, {
    method: 'GET',
    url: '/sharing/rest/oauth2/signout',
    summary:
      "Signs out of the portal in this browser: ends the session cookie's web session (on every node) and clears the cookie, then goes to redirect_uri if it is registered for client_id, else shows a signed-out page. A SAML sign-in whose login propagates logout goes to its IdP first (a LogoutRequest by redirect, or by a form posted at once for an IdP with an HTTP-POST endpoint only). Reached from another site, it asks first. (POST signs out everywhere.)",
    tags: ['oauth'],
    auth: 'public',
    errors: 'html',
    params: SignOutParams,
    response: HTML,
    handler: async (req, args, reply) => {
      const target = await signOutTarget(ctx, args.client_id, args.redirect_uri);
      const portalName = await ctx.portalName();
      if (!signOutFromPortal(req))
        return html(
          reply,
          200,
          signOutConfirmPage(
            portalName,
            { clientId: args.client_id, redirectUri: args.redirect_uri },
            target ?? '/home/',
          ),
        );
      const sessionId = req.caller?.via === 'cookie' ? req.caller.sessionId : undefined;
      await ctx.tokens.endWebSession(req, reply);
      // Another sign-in's own sign-out (SAML: a LogoutRequest to the IdP) may come first.
      const elsewhere = sessionId
        ? await ctx.sessionEvents.fireSignedOut(ctx.log, { sessionId, next: target })
        : undefined;
      if (typeof elsewhere === 'string') return go(reply, elsewhere);
      if (elsewhere)
        return html(
          reply,
          200,
          autoPostPage(elsewhere.title, elsewhere.action, elsewhere.fields),
          AUTO_POST_CSP,
        );
      if (target) return go(reply, target);
      return html(reply, 200, signedOutPage(portalName, args.redirect_uri !== undefined));
    },
  });
}
