import type { FederatedService, GisFederationApi, ServiceAccessPolicy } from './create-federation.ts';

/** What federation needs of the services module (gis-server/services FeatureServices fits it). */
export interface FederatableServices<
  S extends FederatedService & { folder: string; name: string; type: string; title: string; owner: string },
> {
  readonly access: ServiceAccessPolicy<S>;
  useAccess(access: ServiceAccessPolicy<S>): void;
  useLifecycle(hooks: { afterCreate?(s: S): Promise<void>; afterDelete?(s: S): Promise<void> }): void;
  /** The catalog as stored (not a node's cached copy). */
  list(): Promise<readonly S[]>;
  setPortalItem(service: S, itemId: string | null): Promise<void>;
  serviceUrl(s: { folder: string; name: string }): string;
}

/**
 * Puts the services under the federation (protocol steps 5 and 6): their access policy becomes
 * the portal's item sharing (the standalone policy still decides while not federated, and for
 * services without an item); created and deleted services are registered and unregistered at
 * the portal (under the URL the delivering node serves them at); registerService's item id is
 * stored in the services catalog.
 */
export function connectServices<
  S extends FederatedService & { folder: string; name: string; type: string; title: string; owner: string },
>(federation: GisFederationApi, services: FederatableServices<S>): void {
  services.useAccess(federation.serviceAccess(services.access));
  const facts = (s: S) => ({
    folder: s.folder,
    name: s.name,
    type: s.type,
    title: s.title,
    owner: s.owner,
  });
  services.useLifecycle({
    async afterCreate(s) {
      await federation.hooks.afterCreate(facts(s));
    },
    async afterDelete(s) {
      await federation.hooks.afterDelete(facts(s));
    },
  });
  federation.usePortalItems({
    async setPortalItem(service, itemId) {
      // Read from the database: a service published by a `meridian` command may not be in this
      // node's cached copy yet when its registration is delivered.
      const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
      const found = (await services.list()).find(
        (r) => same(r.folder, service.folder) && same(r.name, service.name),
      );
      // Gone meanwhile: its deletion's unregister call follows in the outbox.
      if (found) await services.setPortalItem(found, itemId);
    },
  });
  // The URL is made where the call is delivered: on a serving node, the URL it is reached at.
  federation.useServiceUrls((s) => services.serviceUrl(s));
}
