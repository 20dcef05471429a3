import type { FederatedService, GisFederationApi, ServiceAccessPolicy } from './create-federation.ts';

/** What federation needs of the services module (gis-server/services FeatureServices fits it). */
export interface FederatableServices<
  S extends FederatedService & { folder: string; name: string; type: string; title: string; owner: string },
> {
  readonly access: ServiceAccessPolicy<S>;
  useAccess(access: ServiceAccessPolicy<S>): void;
  useLifecycle(hooks: { afterCreate?(s: S): Promise<void>; afterDelete?(s: S): Promise<void> }): void;
  find(folder: string, name: string): Promise<{ record: S } | undefined>;
  setPortalItem(service: S, itemId: string | null): Promise<void>;
  serviceUrl(s: { folder: string; name: string }): string;
}

/**
 * Puts the services under the federation (protocol steps 5 and 6): their access policy becomes
 * the portal's item sharing (the standalone policy still decides while not federated, and for
 * services without an item); created and deleted services are registered and unregistered at
 * the portal; registerService's item id is stored in the services catalog.
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
    url: services.serviceUrl(s),
  });
  services.useLifecycle({
    afterCreate: (s) => federation.hooks.afterCreate(facts(s)),
    afterDelete: (s) => federation.hooks.afterDelete(facts(s)),
  });
  federation.usePortalItems({
    async setPortalItem(service, itemId) {
      const found = await services.find(service.folder, service.name);
      if (found) await services.setPortalItem(found.record, itemId);
    },
  });
}
