import type { FastifyRequest } from 'fastify';
import type { Authenticator, Caller } from '../../http/caller.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidServerToken } from './errors.ts';
import type { FederationState } from './federation-state.ts';
import { federatedKid, kidOf, type ServerTokenPayload, verifyServerToken } from './server-token.ts';

/** A caller signed in at the portal: who, with which portal role. */
export interface FederatedCaller {
  username: string;
  role: ServerTokenPayload['role'];
  portalId: string;
}

const federatedCallers = new WeakMap<FastifyRequest, FederatedCaller>();

/** The portal user a request's token stands for (undefined: anonymous, or a user of this server). */
export function federatedCallerOf(req: FastifyRequest): FederatedCaller | undefined {
  return federatedCallers.get(req);
}

const ROLE: Record<ServerTokenPayload['role'], Caller['role']> = {
  admin: 'org_admin',
  publisher: 'org_publisher',
  user: 'org_user',
};

function bearer(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

/** The token a request presents as a parameter or header (server tokens never travel as cookies). */
function presented(req: FastifyRequest): string | undefined {
  const param = req.args?.token;
  if (typeof param === 'string' && param !== '') return param;
  return bearer(req.headers.authorization) ?? bearer(req.headers['x-esri-authorization']);
}

function bindingMatches(p: ServerTokenPayload, req: FastifyRequest): boolean {
  const b = p.bind;
  if (!b || b.type === 'none') return true;
  if (b.type === 'ip') return b.value === req.ip;
  const referer = req.headers.referer;
  return typeof referer === 'string' && typeof b.value === 'string' && referer.startsWith(b.value);
}

export interface FederatedAuthenticatorDeps {
  state: FederationState;
  /** This server's URL (its https origin): a token's aud must name it. */
  serverUrl: () => string;
  privilegesOf: (role: Caller['role']) => readonly string[];
  now: () => number;
  /** The server's own authenticator (its users' tokens and sessions). */
  fallback: Authenticator;
}

/**
 * The GIS server's request authentication once federated: a token naming this federation's
 * kid (`fs<serverId>`) is the portal's and is verified here, locally, with the shared secret;
 * every other credential goes to the server's own authenticator (its primary administrator
 * keeps working). A portal token for another server names another kid, so the server's own
 * authenticator refuses it (498) as a key it does not know.
 */
export function federatedAuthenticator(deps: FederatedAuthenticatorDeps): Authenticator {
  return async (req) => {
    const f = deps.state.current;
    const token = f ? presented(req) : undefined;
    if (!f || !token || kidOf(token) !== federatedKid(f)) return deps.fallback(req);
    const invalid = (why: string) => new MeridianError(InvalidServerToken, 'Invalid token.', { detail: why });
    const p = verifyServerToken(f, token, { serverUrl: deps.serverUrl(), now: deps.now(), invalid });
    if (!bindingMatches(p, req)) throw invalid(`binding ${p.bind?.type} does not match`);
    federatedCallers.set(req, { username: p.sub, role: p.role, portalId: f.portalId });
    const role = ROLE[p.role];
    return { userId: p.uid, username: p.sub, role, privileges: deps.privilegesOf(role), via: 'token' };
  };
}
