import type { FastifyRequest } from 'fastify';
import { TokenRequired } from '../../http/require-caller.ts';
import { LoadingCache } from '../../kernel/cache/loading-cache.ts';
import { Forbidden } from '../../kernel/errors/common.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { federatedCallerOf } from './federated-authenticator.ts';
import type { FederationState } from './federation-state.ts';
import type { ItemAccess, PortalClient } from './portal-client.ts';

/** What the access check needs of a service: its portal item, once it has one. */
export interface FederatedService {
  portalItemId?: string | null | undefined;
}

/** The policy seam of the services module: throws when the request may not use the service. */
export interface ServiceAccessPolicy<S extends FederatedService = FederatedService> {
  check(req: FastifyRequest, service: S): Promise<void>;
}

/** The portal's answers are kept this long at most (protocol step 5). */
export const ACCESS_CACHE_MS = 15_000;

/**
 * Who may use a service of a federated server (protocol step 5): the portal decides by its item.
 * An administrator (the portal's, or this server's own) always passes; anyone else is asked
 * about at the portal — anonymous callers get 499 (sign in) when the item is not public, signed-in
 * ones 403. A portal that cannot be asked refuses the request with the cause, never allows it.
 * A service without an item, or a server that is not federated, follows `standalone`.
 */
export function federatedServiceAccess<S extends FederatedService>(deps: {
  state: FederationState;
  portal: PortalClient;
  standalone?: ServiceAccessPolicy<S>;
  now?: () => number;
}): ServiceAccessPolicy<S> & { clear(): void } {
  const cache = new LoadingCache<string, ItemAccess | undefined>({
    ttlMs: ACCESS_CACHE_MS,
    max: 10_000,
    now: deps.now,
    load: async (key) => {
      const [username, itemId] = JSON.parse(key) as [string, string];
      const f = deps.state.current;
      if (!f) return undefined;
      return (await deps.portal.access(f, [itemId], username))[itemId];
    },
  });
  return {
    async check(req, service) {
      const itemId = service.portalItemId;
      if (!deps.state.current || !itemId) return deps.standalone?.check(req, service);
      const caller = req.caller;
      if (caller?.role === 'org_admin') return;
      const portalUser = federatedCallerOf(req);
      // This server's own non-administrators are no one at the portal: they see what is public.
      const username = portalUser?.username ?? '';
      const access = await cache.get(JSON.stringify([username, itemId]));
      if (access?.canRead) return;
      if (!caller)
        throw new MeridianError(TokenRequired, 'Token Required', {
          detail: `item ${itemId} is not public`,
        });
      throw new MeridianError(
        Forbidden,
        'You do not have permissions to access this resource or perform this operation.',
        { detail: `the portal says ${caller.username} may not read item ${itemId}` },
      );
    },
    clear: () => cache.clear(),
  };
}
