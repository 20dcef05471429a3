import { tokenLifetimeMinutes } from '../../tokens/module.ts';
import { clientCredentials } from './client-credentials.ts';
import { type CodeRow, consumeCode } from './codes.ts';
import type { FlowContext } from './context.ts';
import {
  ClientAuthenticationFailed,
  CodeClientMismatch,
  CodeInvalid,
  CodeRedirectMismatch,
  CodeReused,
  CodeVerifierMismatch,
  GrantTypeUnsupported,
  oauthError,
  RefreshTokenInvalid,
  RefreshTokenUserRevoked,
  TokenRequestInvalid,
} from './errors.ts';
import { verifierMatches } from './pkce.ts';
import {
  findRefreshToken,
  issueRefreshToken,
  type RefreshRow,
  revokeRefreshToken,
} from './refresh-tokens.ts';

/** Access tokens from a code or a refresh token live 30 minutes (clamped to the organisation's maximum). */
export const ACCESS_TOKEN_MINUTES = 30;
/** A refresh token lives as long as the authorization request's expiration, else two weeks (clamped). */
export const REFRESH_TOKEN_MINUTES = 20_160;

export interface TokenRequest {
  grant_type?: string | undefined;
  client_id?: string | undefined;
  client_secret?: string | undefined;
  code?: string | undefined;
  redirect_uri?: string | undefined;
  code_verifier?: string | undefined;
  refresh_token?: string | undefined;
  /** client_credentials: the app token's minutes (clamped). */
  expiration?: number | undefined;
}

/** The token endpoint's answer, as ArcGIS portals give it (seconds, not epoch times). */
export interface TokenAnswer {
  access_token: string;
  expires_in: number;
  /** The user; absent for an app token (client_credentials). */
  username?: string;
  ssl: true;
  refresh_token?: string;
  refresh_token_expires_in?: number;
}

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

function need(value: string | undefined, name: string): string {
  if (!value) throw oauthError(TokenRequestInvalid, 'invalid_request', `${name} is missing.`);
  return value;
}

/** The client: its client_id must name an app; a presented secret must be its current one. */
async function client(ctx: FlowContext, req: TokenRequest) {
  const clientId = need(req.client_id, 'client_id');
  const app = await ctx.apps.find(clientId);
  if (!app)
    throw oauthError(
      ClientAuthenticationFailed,
      'invalid_client',
      'No app is registered with this client_id.',
    );
  const secretOk =
    req.client_secret !== undefined ? await ctx.apps.verifySecret(clientId, req.client_secret) : undefined;
  if (secretOk === false) throw oauthError(ClientAuthenticationFailed, 'invalid_client');
  return { app, authenticated: secretOk === true };
}

/** The user a code or refresh token stands for, if they still may sign in. */
async function activeUser(ctx: FlowContext, userId: string, epoch?: number) {
  const state = await ctx.identity.userState(userId);
  if (!state || state.disabled || (epoch !== undefined && state.epoch !== epoch))
    throw oauthError(RefreshTokenUserRevoked, 'invalid_grant');
  return { id: state.id, username: state.username, token_epoch: state.epoch };
}

async function accessToken(
  ctx: FlowContext,
  user: { id: string; username: string; token_epoch: number },
  grantId: string,
) {
  const issued = await ctx.tokens.issueSignedIn(user, {
    kind: 'api',
    expirationMinutes: ACCESS_TOKEN_MINUTES,
    grantId,
  });
  return issued;
}

async function refreshLifetimeMs(ctx: FlowContext, requestedMinutes: number | null): Promise<number> {
  return tokenLifetimeMinutes(requestedMinutes ?? REFRESH_TOKEN_MINUTES, await ctx.tokenPolicy()) * 60_000;
}

/** A code redeemed: its row and the user it stands for. */
export interface RedeemedCode {
  row: CodeRow;
  user: { id: string; username: string; token_epoch: number };
}

/**
 * The one path that consumes an authorization code, for oauth2/token and the web UI's
 * oauth2/session: single use (a replay revokes its grant on every node), bound to the client,
 * the redirect URI and the PKCE challenge (a code issued without PKCE needs the client's secret,
 * `authenticated`, unless the app is a native app: a public client, RFC 8252, which cannot keep a
 * secret and whose code came to its own registered redirect), and its user must still be able to
 * sign in.
 */
export async function redeemCode(
  ctx: FlowContext,
  req: Pick<TokenRequest, 'code' | 'redirect_uri' | 'code_verifier'>,
  client: { clientId: string; authenticated: boolean; publicClient?: boolean },
): Promise<RedeemedCode> {
  const code = need(req.code, 'code');
  const redirectUri = need(req.redirect_uri, 'redirect_uri');
  const consumed = await consumeCode(ctx.db.kysely, code, ctx.clock.now());
  if (consumed.outcome === 'invalid') throw oauthError(CodeInvalid, 'invalid_grant');
  if (consumed.outcome === 'reused') {
    // RFC 6749 section 4.1.2: a code used twice revokes what it was exchanged for.
    await ctx.grants.revoke(consumed.row.grant_id);
    ctx.log.warn(
      { client_id: consumed.row.client_id, user_id: consumed.row.user_id },
      'an OAuth authorization code was presented again; its tokens were revoked',
    );
    throw oauthError(CodeReused, 'invalid_grant');
  }
  const row = consumed.row;
  if (row.client_id !== client.clientId) throw oauthError(CodeClientMismatch, 'invalid_grant');
  if (row.redirect_uri !== redirectUri) throw oauthError(CodeRedirectMismatch, 'invalid_grant');
  if (row.code_challenge !== null) {
    if (!req.code_verifier || !verifierMatches(req.code_verifier, row.code_challenge))
      throw oauthError(CodeVerifierMismatch, 'invalid_grant');
  } else if (!client.authenticated && !client.publicClient)
    throw oauthError(
      ClientAuthenticationFailed,
      'invalid_client',
      'This code was issued without PKCE: the app must send its client_secret.',
    );
  return { row, user: await activeUser(ctx, row.user_id) };
}

async function exchangeCode(ctx: FlowContext, req: TokenRequest): Promise<TokenAnswer> {
  need(req.code, 'code');
  need(req.redirect_uri, 'redirect_uri');
  const { app, authenticated } = await client(ctx, req);
  const { row, user } = await redeemCode(ctx, req, {
    clientId: app.clientId,
    authenticated,
    publicClient: app.appType === 'native',
  });
  const now = ctx.clock.now();
  const access = await accessToken(ctx, user, row.grant_id);
  const refreshExpires = now + (await refreshLifetimeMs(ctx, row.expiration_minutes));
  const refresh = await issueRefreshToken(
    ctx.db.kysely,
    {
      grant_id: row.grant_id,
      client_id: app.clientId,
      user_id: user.id,
      user_epoch: user.token_epoch,
      expires: refreshExpires,
    },
    now,
  );
  await ctx.grants.extend(row.grant_id, Math.max(refreshExpires, access.expires));
  return {
    access_token: access.token,
    expires_in: seconds(access.expires - now),
    username: user.username,
    ssl: true,
    refresh_token: refresh,
    refresh_token_expires_in: seconds(refreshExpires - now),
  };
}

async function liveRefreshToken(ctx: FlowContext, req: TokenRequest): Promise<RefreshRow> {
  const token = need(req.refresh_token, 'refresh_token');
  const { app } = await client(ctx, req);
  const row = await findRefreshToken(ctx.db.kysely, token, app.clientId, ctx.clock.now());
  if (!row || ctx.grants.isRevoked(row.grant_id)) throw oauthError(RefreshTokenInvalid, 'invalid_grant');
  return row;
}

async function refresh(ctx: FlowContext, req: TokenRequest): Promise<TokenAnswer> {
  const row = await liveRefreshToken(ctx, req);
  const user = await activeUser(ctx, row.user_id, row.user_epoch);
  const now = ctx.clock.now();
  const access = await accessToken(ctx, user, row.grant_id);
  return {
    access_token: access.token,
    expires_in: seconds(access.expires - now),
    username: user.username,
    ssl: true,
  };
}

/** exchange_refresh_token: a new refresh token (and access token); the presented one stops working. */
async function exchangeRefresh(ctx: FlowContext, req: TokenRequest): Promise<TokenAnswer> {
  const row = await liveRefreshToken(ctx, req);
  const user = await activeUser(ctx, row.user_id, row.user_epoch);
  const now = ctx.clock.now();
  if (!(await revokeRefreshToken(ctx.db.kysely, row, now)))
    throw oauthError(RefreshTokenInvalid, 'invalid_grant');
  const lifetime = Math.min(row.expires - row.created, await refreshLifetimeMs(ctx, null));
  const refreshExpires = now + lifetime;
  const fresh = await issueRefreshToken(
    ctx.db.kysely,
    {
      grant_id: row.grant_id,
      client_id: row.client_id,
      user_id: user.id,
      user_epoch: user.token_epoch,
      expires: refreshExpires,
    },
    now,
  );
  const access = await accessToken(ctx, user, row.grant_id);
  await ctx.grants.extend(row.grant_id, refreshExpires);
  return {
    access_token: access.token,
    expires_in: seconds(access.expires - now),
    username: user.username,
    ssl: true,
    refresh_token: fresh,
    refresh_token_expires_in: seconds(refreshExpires - now),
  };
}

/** POST oauth2/token (RFC 6749 section 4.1.3, 6; ArcGIS's exchange_refresh_token). */
export async function tokenRequest(ctx: FlowContext, req: TokenRequest): Promise<TokenAnswer> {
  switch (req.grant_type) {
    case 'authorization_code':
      return exchangeCode(ctx, req);
    case 'refresh_token':
      return refresh(ctx, req);
    case 'exchange_refresh_token':
      return exchangeRefresh(ctx, req);
    case 'client_credentials':
      return clientCredentials(ctx, req);
    case undefined:
    case '':
      throw oauthError(TokenRequestInvalid, 'invalid_request', 'grant_type is missing.');
    default:
      throw oauthError(GrantTypeUnsupported, 'unsupported_grant_type');
  }
}
