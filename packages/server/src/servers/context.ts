import type { ItemPort } from '../content/module.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { PortalClientRedirects } from '../oauth/module.ts';
import type { PkiApi } from '../pki/module.ts';
import type { ServerKeys } from './secrets.ts';
import type { ServerClient } from './server-client.ts';

/** What the servers module's services and routes work with. */
export interface ServersContext {
  readonly kernel: Kernel;
  readonly pki: Pick<PkiApi, 'outbound' | 'trust' | 'localCaPem'>;
  readonly items: ItemPort;
  /** A portal user's canonical username and role (owners of service items, access checks). */
  findUser(username: string): Promise<{ id: string; username: string; role: string } | undefined>;
  orgId(): Promise<string>;
  readonly redirects: PortalClientRedirects;
  readonly keys: ServerKeys;
  readonly client: ServerClient;
}

/** The type keyword that marks a federated server's service item. */
export const serverKeyword = (id: string) => `Meridian Server:${id}`;

export const tokenDeps = (ctx: ServersContext) => ({
  keys: ctx.keys,
  orgId: ctx.orgId,
  now: () => ctx.kernel.clock.now(),
});
