import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../http/caller.ts';
import type { IdentityApi, UserRow } from '../identity/module.ts';
import { defineModule } from '../kernel/module.ts';
import { createAuthenticator } from './authenticate.ts';
import type { TokensContext } from './context.ts';
import { type TokenLifetimes, type TokenPolicy, tokenLifetimeMinutes } from './expiration-policy.ts';
import { type GenerateTokenArgs, generateToken } from './generate-token.ts';
import * as keysMigration from './migration.ts';
import * as sessionsMigration from './migration-sessions.ts';
import { registerTokenRoutes } from './routes.ts';
import { SessionJson } from './schemas.ts';
import {
  type ServerTokenIssuer,
  type ServerTokenPayload,
  serverKid,
  signServerToken,
} from './server-token.ts';
import { endSessionCookie, openSessionCookie } from './session-cookie.ts';
import { issueSignedIn, type SignedIn } from './signed-in.ts';
import type { TokenBinding } from './token-format.ts';
import { type RevokedGrants, TokenService } from './token-service.ts';
import { presentedToken } from './token-sources.ts';
import { endWebSessions } from './web-sessions.ts';

export type {
  GenerateTokenArgs,
  RevokedGrants,
  ServerTokenIssuer,
  ServerTokenPayload,
  SignedIn,
  TokenBinding,
  TokenLifetimes,
  TokenService,
};
export { SessionJson, serverKid, signServerToken, tokenLifetimeMinutes };

/** Tokens and web sessions: issued to signed-in users, verified on every request. */
export interface TokensApi {
  readonly service: TokenService;
  /** Finds the caller of a request (token parameter, Authorization headers, session cookie). */
  readonly authenticate: Authenticator;
  /** Whether a request presents any credential yet (multipart bodies: the token may come later). */
  presentsCredential(req: Parameters<Authenticator>[0]): boolean;
  /** The one way a signed-in user gets a token or a web session (generateToken, web sign-in, OAuth, SAML). */
  issueSignedIn(
    user: Pick<UserRow, 'id' | 'username' | 'token_epoch'>,
    opts: { kind: 'api' | 'web'; expirationMinutes?: number; bind?: TokenBinding; grantId?: string },
  ): Promise<SignedIn>;
  /**
   * Opens a web session for a user whose identity was just proven (the web UI's OAuth code
   * exchange, bound to its grant): sets the HttpOnly session cookie and answers the session
   * (with its id, which is not sent to the browser).
   */
  openWebSession(
    reply: FastifyReply,
    user: Pick<UserRow, 'id' | 'username' | 'token_epoch'>,
    opts: { grantId?: string },
  ): Promise<SessionJson & { sessionId: string }>;
  /** Ends these web sessions by id (an identity provider's logout), on every node; answers how many were live. */
  endWebSessions(ids: readonly string[]): Promise<number>;
  /**
   * Ends the web session a request's cookie names (on every node) and clears the cookie;
   * answers whether there was a live session to end.
   */
  endWebSession(req: FastifyRequest, reply: FastifyReply): Promise<boolean>;
  /** generateToken as ArcGIS clients call it (a GIS server's tokens/generateToken too). */
  generateToken(
    req: Parameters<Authenticator>[0],
    args: GenerateTokenArgs,
  ): Promise<{ token: string; expires: number; ssl: true }>;
}

export const tokensModule = defineModule<
  TokensApi,
  {
    identity: IdentityApi;
    tokenPolicy: TokenPolicy;
    grants?: RevokedGrants;
    /** The portal's federated servers: generateToken with serverUrl (absent: refused). */
    serverTokens?: ServerTokenIssuer;
  }
>({
  name: 'tokens',
  tables: ['token_signing_keys', 'web_sessions'],
  migrations: { '0004_tokens': keysMigration, '0012_web_sessions': sessionsMigration },
  settings: [],
  create(kernel, deps) {
    const service = new TokenService(kernel, deps.identity, () => kernel.clock.now(), deps.grants);
    const ctx: TokensContext = {
      ...kernel,
      identity: deps.identity,
      tokenPolicy: deps.tokenPolicy,
      tokens: service,
      ...(deps.serverTokens ? { serverTokens: deps.serverTokens } : {}),
    };
    return {
      api: {
        service,
        authenticate: createAuthenticator(service),
        presentsCredential: (req) => presentedToken(req) !== undefined,
        issueSignedIn: (user, opts) => issueSignedIn(ctx, user, opts),
        generateToken: (req, args) => generateToken(ctx, req, args),
        openWebSession: (reply, user, opts) => openSessionCookie(ctx, reply, user, opts),
        endWebSession: (req, reply) => endSessionCookie(ctx, req, reply),
        endWebSessions: (ids) => endWebSessions(kernel.db.kysely, ids),
      },
      routes: (app) => registerTokenRoutes(app, ctx),
    };
  },
});
