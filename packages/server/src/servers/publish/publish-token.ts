/**
 * The server token each publishing call carries: minted for that one call, for the publishing
 * user, living no longer than the organisation's maximum token lifetime (and at most five
 * minutes). A publish that outlasts any one token never meets an expired one; a user demoted or
 * removed meanwhile is refused at the next call.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { ServersContext } from '../context.ts';
import { ADMIN_TOKEN_MS, serverRoleOf, signFor } from '../server-tokens.ts';
import { PublishNoHostingServer, PublishNotPermitted } from './errors.ts';

export interface PublishTokenDeps {
  ctx: ServersContext;
  /** The organisation's maximum token lifetime, read live (portal settings). */
  maxTokenMinutes(): Promise<number>;
}

export async function publishToken(
  deps: PublishTokenDeps,
  serverId: string,
  username: string,
): Promise<string> {
  const { ctx } = deps;
  const server = await ctx.keys.get(serverId);
  if (!server)
    throw new MeridianError(
      PublishNoHostingServer,
      `The hosting server was unfederated while publishing. ${PublishNoHostingServer.fix}`,
    );
  const user = await ctx.findUser(username);
  if (!user)
    throw new MeridianError(PublishNotPermitted, `The user '${username}' no longer exists on this portal.`);
  const now = ctx.kernel.clock.now();
  const lifetime = Math.min((await deps.maxTokenMinutes()) * 60_000, ADMIN_TOKEN_MS);
  return signFor(
    server,
    { userId: user.id, username: user.username, role: user.role },
    serverRoleOf(user.role),
    { iat: now, exp: now + lifetime },
    await ctx.orgId(),
  );
}
