import type { Caller } from '../http/caller.ts';
import type { IdentityApi } from '../identity/module.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { bindingMatches } from './binding.ts';
import { InvalidToken } from './errors.ts';
import { SigningKeyRing } from './signing-keys.ts';
import {
  deriveFromToken,
  parseToken,
  signToken,
  type TokenBinding,
  type TokenPayload,
  verifySignature,
} from './token-format.ts';
import { VerifiedTokens } from './verified-tokens.ts';
import { isWebSessionActive } from './web-sessions.ts';

export interface IssueRequest {
  userId: string;
  username: string;
  /** The user's current users.token_epoch. */
  epoch: number;
  expires: number;
  kind?: TokenPayload['kind'];
  bind?: TokenBinding;
  /** The web session of a 'web' token (web-sessions.ts). */
  sessionId?: string;
  /** The OAuth grant it is issued under. */
  grantId?: string;
}

/** Which OAuth grants are revoked (a replayed authorization code revokes its grant). */
export interface RevokedGrants {
  isRevoked(grantId: string): boolean;
}

export interface PresentedToken {
  token: string;
  via: Caller['via'];
  ip: string;
  referer: string | undefined;
}

/** A verified app token (client_credentials): the app it stands for. */
export interface AppCaller {
  clientId: string;
  expires: number;
}

export type Verified =
  | { kind: 'user'; caller: Caller & { expires: number } }
  | { kind: 'app'; app: AppCaller };

function invalid(why: string): MeridianError {
  return new MeridianError(InvalidToken, 'Invalid token.', { detail: why });
}

/**
 * Issues and verifies tokens. Verification reads no database in the steady state: the
 * signature is checked with an in-memory key, and the user's epoch, role and disabled flag come
 * from the user-state cache (see user-state-cache.ts for how it stays current across nodes). A
 * token whose signature verified once is remembered (verified-tokens.ts), so that a client
 * presenting it on every request skips the HMAC; everything else is checked every time.
 */
export class TokenService {
  readonly keys: SigningKeyRing;
  readonly #users: Pick<IdentityApi, 'userState' | 'privilegesOf'>;
  readonly #now: () => number;
  readonly #db: Kernel['db'];
  readonly #verified = new VerifiedTokens();
  readonly #grants: RevokedGrants | undefined;

  constructor(
    ctx: Pick<Kernel, 'db' | 'bus' | 'box'>,
    users: Pick<IdentityApi, 'userState' | 'privilegesOf'>,
    now: () => number = Date.now,
    grants?: RevokedGrants,
  ) {
    this.#now = now;
    this.#db = ctx.db;
    this.#users = users;
    this.#grants = grants;
    this.keys = new SigningKeyRing(ctx, now);
  }

  async issue(req: IssueRequest): Promise<{ token: string; expires: number }> {
    const key = await this.keys.signingKey();
    const payload: TokenPayload = {
      uid: req.userId,
      sub: req.username,
      ep: req.epoch,
      iat: this.#now(),
      exp: req.expires,
      kind: req.kind ?? 'api',
      bind: req.bind ?? { type: 'none' },
      ...(req.sessionId ? { sid: req.sessionId } : {}),
      ...(req.grantId ? { gid: req.grantId } : {}),
    };
    return { token: signToken(key.kid, key.secret, payload), expires: req.expires };
  }

  /** The user a token stands for; throws 498 Invalid token when it does not verify or stands for an app. */
  async verify(presented: PresentedToken): Promise<Caller & { expires: number }> {
    const verified = await this.verifyAny(presented);
    if (verified.kind !== 'user') throw invalid('an app token where a user token is needed');
    return verified.caller;
  }

  /** A token of a user or of an app (client_credentials); throws 498 Invalid token when it does not verify. */
  async verifyAny(presented: PresentedToken): Promise<Verified> {
    const parsed = parseToken(presented.token);
    if (!parsed) throw invalid('malformed');
    const key = await this.keys.verificationKey(parsed.kid);
    if (!key) throw invalid(`unknown or retired signing key ${parsed.kid}`);
    let payload = this.#verified.get(presented.token, key.secret);
    if (!payload) {
      payload = verifySignature(parsed, key.secret);
      if (!payload) throw invalid('bad signature');
      this.#verified.remember(presented.token, key.secret, payload);
    }
    if (payload.exp <= this.#now()) {
      this.#verified.forget(presented.token);
      throw invalid('expired');
    }
    if (payload.kind === 'app') return this.#verifyApp(payload, presented);
    const wantKind = presented.via === 'cookie' ? 'web' : 'api';
    if (payload.kind !== wantKind) throw invalid(`a ${payload.kind} token presented as ${presented.via}`);
    if (!bindingMatches(payload.bind, presented))
      throw invalid(`binding ${payload.bind.type} does not match`);
    const state = await this.#users.userState(payload.uid);
    if (!state) throw invalid('user deleted');
    if (state.disabled) throw invalid('user disabled');
    if (state.epoch !== payload.ep) throw invalid('revoked (token epoch raised)');
    if (payload.gid && this.#grants?.isRevoked(payload.gid))
      throw invalid('revoked (its OAuth grant was revoked)');
    if (payload.kind === 'web') {
      if (!payload.sid || !(await isWebSessionActive(this.#db.kysely, payload.sid, this.#now())))
        throw invalid('web session ended');
    }
    return {
      kind: 'user',
      caller: {
        userId: state.id,
        username: state.username,
        role: state.role,
        privileges: this.#users.privilegesOf(state.role),
        via: presented.via,
        expires: payload.exp,
        ...(payload.sid ? { sessionId: payload.sid } : {}),
      },
    };
  }

  /** An app token: never a cookie, always under a live grant (revoked with its app). */
  #verifyApp(payload: TokenPayload, presented: PresentedToken): Verified {
    if (presented.via === 'cookie') throw invalid('an app token presented as cookie');
    if (!payload.gid || !this.#grants || this.#grants.isRevoked(payload.gid))
      throw invalid('app token revoked');
    if (!bindingMatches(payload.bind, presented))
      throw invalid(`binding ${payload.bind.type} does not match`);
    return { kind: 'app', app: { clientId: payload.uid, expires: payload.exp } };
  }

  /** The CSRF token of a web session: an HMAC of the session token, so nothing is stored. */
  async csrfFor(sessionToken: string): Promise<string | undefined> {
    const parsed = parseToken(sessionToken);
    if (!parsed) return undefined;
    const key = await this.keys.verificationKey(parsed.kid);
    return key ? deriveFromToken(key.secret, 'csrf', sessionToken) : undefined;
  }
}
