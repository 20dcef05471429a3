import type { FastifyInstance } from 'fastify';
import type { Authenticator, Caller } from '../../http/caller.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import type { OutboundClient } from '../../kernel/outbound/guarded-client.ts';
import type { TrustPort } from './configure.ts';
import { federatedAuthenticator } from './federated-authenticator.ts';
import { FederationState } from './federation-state.ts';
import { Outbox, type OutboxEntry } from './outbox.ts';
import { createOutboxDelivery, type PortalItemPort } from './outbox-delivery.ts';
import { createPortalClient } from './portal-client.ts';
import { restInfoAuth } from './rest-info.ts';
import { registerSecurityRoutes } from './security-routes.ts';
import { type FederatedService, federatedServiceAccess, type ServiceAccessPolicy } from './service-access.ts';
import { federationServiceHooks, type ServiceLifecycleHooks } from './service-hooks.ts';
import { FEDERATION_TOPIC } from './topics.ts';

export type { ServiceFacts } from './service-hooks.ts';
export type { FederatedService, OutboxEntry, PortalItemPort, ServiceAccessPolicy, ServiceLifecycleHooks };

/** The federation as shown to an administrator (never the secret). */
export interface FederationStatus {
  federated: boolean;
  portalUrl?: string;
  portalId?: string;
  /** The id the portal gave this server. */
  serverId?: string;
  since?: number;
}

/** The GIS server's side of federation with a portal, as the gis-server module offers it. */
export interface GisFederationApi {
  status(): FederationStatus;
  /** rest/info's owningSystemUrl and tokenServicesUrl. */
  restInfo(serverRoot: string): { owningSystemUrl?: string; tokenServicesUrl: string };
  /** The request authenticator: the portal's server tokens, then `fallback` (the server's own). */
  authenticator(
    fallback: Authenticator,
    privilegesOf: (role: Caller['role']) => readonly string[],
  ): Authenticator;
  /** The services' access policy once federated; `standalone` otherwise and for services without an item. */
  serviceAccess<S extends FederatedService>(standalone?: ServiceAccessPolicy<S>): ServiceAccessPolicy<S>;
  /** The services' lifecycle hooks (register/unregister at the portal). */
  readonly hooks: ServiceLifecycleHooks;
  /** Where registerService's item id is stored (the services catalog), wired once it exists. */
  usePortalItems(port: PortalItemPort): void;
  /** The outbox entries still to deliver. */
  pending(): Promise<OutboxEntry[]>;
  /** Delivers the due outbox entries now (the loop does it every few seconds). */
  deliverDue(): Promise<void>;
}

export interface GisFederationDeps {
  /** This server's own id (answered to the portal). */
  serverId: string;
  trust: TrustPort;
  /** The guarded outbound client (this server's trust store). */
  outbound: () => OutboundClient;
  /** How often the outbox is retried. Default 5 s. */
  outboxEveryMs?: number;
}

/** Builds the federation parts: its state (loaded now), routes, API, and its outbox loop (start/stop). */
export async function createGisFederation(kernel: Kernel, deps: GisFederationDeps) {
  const now = () => kernel.clock.now();
  const state = new FederationState(kernel);
  await state.open();
  const portal = createPortalClient({ outbound: deps.outbound, now });
  const outbox = new Outbox(kernel.db.kysely);
  let items: PortalItemPort | undefined;
  const delivery = createOutboxDelivery({
    kernel,
    outbox,
    state,
    portal,
    items: () => items,
    owner: kernel.bus.nodeId,
  });
  const policies = new Set<{ clear(): void }>();
  const unwatch = kernel.bus.watch(FEDERATION_TOPIC, () => {
    for (const p of policies) p.clear();
  });
  const configure = {
    kernel,
    trust: deps.trust,
    state,
    onUnfederated: () => outbox.clear(),
  };
  const api: GisFederationApi = {
    status() {
      const f = state.current;
      if (!f) return { federated: false };
      return {
        federated: true,
        portalUrl: f.portalUrl,
        portalId: f.portalId,
        serverId: f.serverId,
        since: f.since,
      };
    },
    restInfo: (root) => restInfoAuth(state, root),
    authenticator: (fallback, privilegesOf) =>
      federatedAuthenticator({ state, serverUrl: () => kernel.baseUrl(), privilegesOf, now, fallback }),
    serviceAccess(standalone) {
      const policy = federatedServiceAccess({ state, portal, now, ...(standalone ? { standalone } : {}) });
      policies.add(policy);
      return policy;
    },
    hooks: federationServiceHooks({ state, outbox, delivery, now }),
    usePortalItems(port) {
      items = port;
    },
    pending: () => outbox.list(),
    deliverDue: () => delivery.runDue(),
  };
  return {
    api,
    routes: (app: FastifyInstance) => registerSecurityRoutes(app, { ...configure, serverId: deps.serverId }),
    start: () => delivery.start(deps.outboxEveryMs),
    async stop() {
      unwatch();
      state.close();
      await delivery.stop();
    },
  };
}
