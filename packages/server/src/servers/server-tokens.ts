import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { type ServerTokenPayload, serverKid, signServerToken } from '../tokens/module.ts';
import { ServerNotFederated } from './errors.ts';
import type { ServerKey, ServerKeys } from './secrets.ts';
import { serverRoot } from './server-url.ts';

/** Who a token is for: the portal user's id, username and role. */
export interface TokenSubject {
  userId: string;
  username: string;
  role: string;
  /** The user's token epoch (0 when unknown). */
  epoch?: number;
}

/** A portal role as a server sees it: administrators administer, publishers publish. */
export function serverRoleOf(role: string): ServerTokenPayload['role'] {
  if (role === 'org_admin') return 'admin';
  if (role === 'org_publisher') return 'publisher';
  return 'user';
}

/** Signs a server token for one federated server with its shared secret (protocol 4). */
export function signFor(
  server: ServerKey,
  who: TokenSubject,
  role: ServerTokenPayload['role'],
  times: { iat: number; exp: number },
  orgId: string,
): string {
  return signServerToken(serverKid(server.row.id), server.key, {
    uid: who.userId,
    sub: who.username,
    ep: who.epoch ?? 0,
    iat: times.iat,
    exp: times.exp,
    kind: 'server',
    bind: { type: 'none' },
    aud: server.row.url,
    role,
    orgId,
  });
}

/** The federated server a serverUrl names (scheme, host in any case, port, context path), or undefined. */
export async function serverForUrl(keys: ServerKeys, serverUrl: string): Promise<ServerKey | undefined> {
  let root: ReturnType<typeof serverRoot>;
  try {
    root = serverRoot(serverUrl, 'serverUrl');
  } catch {
    return undefined;
  }
  const all = [...(await keys.all()).values()];
  const exact = all.find((s) => s.row.url_key === root.key);
  if (exact) return exact;
  // A bare origin (no context path) names the one server on that host and port.
  if (new URL(root.url).pathname === '/' || !new URL(root.url).pathname.replace(/\/$/, '')) {
    const same = all.filter((s) => s.row.url_key.startsWith(`${root.key}/`));
    if (same.length === 1) return same[0];
  }
  return undefined;
}

/** generateToken with serverUrl: a server token for the caller, for the federated server the URL names. */
export async function issueServerToken(
  deps: { keys: ServerKeys; orgId(): Promise<string>; now(): number },
  who: TokenSubject,
  serverUrl: string,
  expires: number,
): Promise<{ token: string; expires: number }> {
  const server = await serverForUrl(deps.keys, serverUrl);
  if (!server)
    throw new MeridianError(
      ServerNotFederated,
      `${serverUrl.slice(0, 200)} is not a server federated with this portal. ${ServerNotFederated.fix}`,
    );
  const token = signFor(
    server,
    who,
    serverRoleOf(who.role),
    { iat: deps.now(), exp: expires },
    await deps.orgId(),
  );
  return { token, expires };
}

/** How long the portal's own administrator tokens for a server live: minted for every call. */
export const ADMIN_TOKEN_MS = 5 * 60_000;

/**
 * An administrator server token the portal mints for itself (deleting a service, validating,
 * unfederating): a new one for every call, so that a long operation never meets an expired one.
 */
export async function adminServerToken(
  deps: { keys: ServerKeys; orgId(): Promise<string>; now(): number },
  serverId: string,
  username: string,
): Promise<string | undefined> {
  const server = await deps.keys.get(serverId);
  if (!server) return undefined;
  const now = deps.now();
  return signFor(
    server,
    { userId: `portal:${username}`, username, role: 'org_admin' },
    'admin',
    { iat: now, exp: now + ADMIN_TOKEN_MS },
    await deps.orgId(),
  );
}
