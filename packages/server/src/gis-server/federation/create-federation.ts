import type { FastifyInstance } from 'fastify';
import type { Authenticator, Caller } from '../../http/caller.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import type { OutboundClient } from '../../kernel/outbound/guarded-client.ts';
import type { TrustPort } from './configure.ts';
import { federatedAuthenticator } from './federated-authenticator.ts';
import { FederationState } from './federation-state.ts';
import { Outbox, type OutboxEntry } from './outbox.ts';
import { createOutboxDelivery, type PortalItemPort, type ServiceUrlOf } from './outbox-delivery.ts';
import { createPortalClient } from './portal-client.ts';
import { restInfoAuth } from './rest-info.ts';
import { registerSecurityRoutes } from './security-routes.ts';
import { type FederatedService, federatedServiceAccess, type ServiceAccessPolicy } from './service-access.ts';
import { federationServiceHooks, type ServiceLifecycleHooks } from './service-hooks.ts';
import { FEDERATION_TOPIC, OUTBOX_TOPIC } from './topics.ts';

export type { ServiceFacts } from './service-hooks.ts';
export type {
  FederatedService,
  OutboxEntry,
  PortalItemPort,
  ServiceAccessPolicy,
  ServiceLifecycleHooks,
  ServiceUrlOf,
};

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
  /** Where registerService's item id is stored (the services catalog), wired once it exists; answers how to put the previous one back. */
  usePortalItems(port: PortalItemPort): () => void;
  /** How a service's URL is made on this node (the services catalog), wired once it exists. */
  useServiceUrls(url: ServiceUrlOf): void;
  /** The outbox entries still to deliver, and those the portal refused (state failed). */
  pending(): Promise<OutboxEntry[]>;
  /** One outbox entry; undefined once it was delivered (or replaced by a later call for its service). */
  outboxEntry(id: string): Promise<OutboxEntry | undefined>;
  /** Sends the entries the portal refused again (their cause fixed); answers how many. */
  retryFailed(): Promise<number>;
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
  let serviceUrl: ServiceUrlOf | undefined;
  // Only a node that serves the server delivers: it knows the URL it is reached at. A `meridian`
  // command opens the node without serving (its settings may not give that URL): it writes the
  // outbox and tells the serving nodes on the bus.
  let serving = false;
  const delivery = createOutboxDelivery({
    kernel,
    outbox,
    state,
    portal,
    items: () => items,
    serviceUrl: () => serviceUrl,
    owner: kernel.bus.nodeId,
  });
  const policies = new Set<{ clear(): void }>();
  const unwatchFederation = kernel.bus.watch(FEDERATION_TOPIC, () => {
    for (const p of policies) p.clear();
  });
  const unwatchOutbox = kernel.bus.watch(OUTBOX_TOPIC, () => {
    if (serving) delivery.wake();
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
    hooks: federationServiceHooks({ kernel, state, outbox, delivery, serving: () => serving, now }),
    usePortalItems(port) {
      const previous = items;
      items = port;
      return () => {
        items = previous;
      };
    },
    useServiceUrls(url) {
      serviceUrl = url;
    },
    pending: () => outbox.list(),
    outboxEntry: (id) => outbox.get(id),
    async retryFailed() {
      const n = await outbox.retryFailed(now());
      if (n) await kernel.bus.publish(OUTBOX_TOPIC, { id: '*' });
      return n;
    },
    deliverDue: () => delivery.runDue(),
  };
  return {
    api,
    routes: (app: FastifyInstance) => registerSecurityRoutes(app, { ...configure, serverId: deps.serverId }),
    start() {
      serving = true;
      delivery.start(deps.outboxEveryMs);
    },
    async stop() {
      serving = false;
      unwatchFederation();
      unwatchOutbox();
      state.close();
      await delivery.stop();
    },
  };
}
