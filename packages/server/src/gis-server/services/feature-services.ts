/**
 * The GIS server's feature services: the catalog, the feature store, the in-memory view that
 * requests read, publishing (directly or as a job) and deletion, with the access policy and
 * lifecycle hooks a federated server replaces. Every change is announced on the change bus so
 * that every node (and a server running beside a `meridian server` command) sees it.
 */
import type { OpenedFeatureStore } from '../../features/store/open-store.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { type ServiceAccess, standaloneAccess } from './access.ts';
import { ServiceCatalog, type ServiceRecord, servicePath } from './catalog.ts';
import type { ServiceLifecycle } from './lifecycle.ts';
import { nameKey } from './names.ts';
import { checkPublishable, type PublishInput, type PublishProgress, publishService } from './publish.ts';
import { type LoadedService, ServiceCache, type ServicesSnapshot } from './service-cache.ts';

export const SERVICES_TOPIC = 'gis-server.services';

declare module '../../kernel/bus/topics.ts' {
  interface BusTopics {
    /** A feature service was created, changed or deleted (its id). */
    'gis-server.services': { id: string };
  }
}

/** How often a serving node sweeps the layers of publishes whose writer is gone. */
export const SWEEP_EVERY_MS = 10 * 60_000;

export interface FeatureServices {
  readonly store: OpenedFeatureStore;
  /** What requests read: every service with its layers (no database read once loaded). */
  snapshot(): Promise<ServicesSnapshot>;
  /** The service of this folder ('' = root) and name, any case; undefined if none. */
  find(folder: string, name: string): Promise<LoadedService | undefined>;
  /** Every service, from the catalog. */
  list(): Promise<ServiceRecord[]>;
  /** Checks the names and that the folder has no service of that name yet (before an upload is kept). */
  checkPublishable(input: { folder?: string; name: string }): Promise<{ folder: string; name: string }>;
  /** Publishes now, in this process (the CLI; the publish job). */
  publish(input: PublishInput, progress?: PublishProgress): Promise<ServiceRecord>;
  /** Deletes a service: its layers, then its row. Undefined when there was none. */
  remove(folder: string, name: string): Promise<ServiceRecord | undefined>;
  /** Records the portal item that stands for the service (null: none). */
  setPortalItem(service: ServiceRecord, itemId: string | null): Promise<void>;
  /** The URL of a service's REST resource on this server. */
  serviceUrl(s: { folder: string; name: string }): string;
  /** Who may read a service (replaceable: a federated server checks item sharing). */
  readonly access: ServiceAccess;
  useAccess(access: ServiceAccess): void;
  /** Adds lifecycle hooks (a federated server registers items with its portal). */
  useLifecycle(hooks: ServiceLifecycle): void;
  /**
   * A serving node's housekeeping: sweeps now and every SWEEP_EVERY_MS the half-written layers
   * whose writers are gone (a command run beside the server never sweeps: a publish it runs
   * beside is not touched).
   */
  start(): Promise<void>;
  /** Stops listening to the bus and sweeping (the store is closed by its opener). */
  stop(): void;
}

export function createFeatureServices(
  kernel: Pick<Kernel, 'db' | 'bus' | 'clock' | 'log' | 'baseUrl'>,
  store: OpenedFeatureStore,
): FeatureServices {
  const catalog = new ServiceCatalog(kernel.db.kysely);
  const cache = new ServiceCache(async () => {
    const records = await catalog.list();
    return Promise.all(records.map(async (record) => ({ record, layers: await store.layers(record.id) })));
  });
  const unwatch = kernel.bus.watch(SERVICES_TOPIC, () => {
    cache.reload().catch((err) => kernel.log.warn({ err }, 'reloading the services catalog failed'));
  });
  let access: ServiceAccess = standaloneAccess;
  const hooks: ServiceLifecycle[] = [];
  let sweeper: NodeJS.Timeout | undefined;
  const sweep = async () => {
    const swept = await store.sweepAbandoned();
    for (const l of swept)
      kernel.log.warn(
        { serviceKey: l.serviceKey, layer: l.layerId },
        'dropped a half-written layer whose publish stopped (its process is gone)',
      );
  };

  /** Tells every node; this node's view is reloaded before the change's caller goes on. */
  const announce = async (id: string) => {
    await kernel.bus.publish(SERVICES_TOPIC, { id });
    await cache.reload();
  };
  const runHooks = async (which: 'afterCreate' | 'afterDelete', s: ServiceRecord) => {
    for (const h of hooks)
      await h[which]?.(s).catch((err) =>
        kernel.log.warn({ err, service: servicePath(s) }, `the ${which} hook of a service failed`),
      );
  };

  return {
    store,
    snapshot: () => cache.get(),
    async find(folder, name) {
      return (await cache.get()).byKey.get(nameKey(folder, name));
    },
    list: () => catalog.list(),
    checkPublishable: (input) => checkPublishable(catalog, input),
    async publish(input, progress) {
      const record = await publishService({ catalog, store, now: () => kernel.clock.now() }, input, progress);
      kernel.log.info({ service: servicePath(record), owner: record.owner }, 'service published');
      await announce(record.id);
      await runHooks('afterCreate', record);
      return record;
    },
    async remove(folder, name) {
      const record = await catalog.find(folder, name);
      if (!record) return undefined;
      await store.dropService(record.id);
      await catalog.remove(record.id);
      kernel.log.info({ service: servicePath(record) }, 'service deleted');
      await announce(record.id);
      await runHooks('afterDelete', record);
      return record;
    },
    async setPortalItem(service, itemId) {
      await catalog.setPortalItem(service.id, itemId, kernel.clock.now());
      await announce(service.id);
    },
    serviceUrl: (s) =>
      `${kernel.baseUrl()}/arcgis/rest/services/${s.folder ? `${s.folder}/` : ''}${s.name}/FeatureServer`,
    get access() {
      return access;
    },
    useAccess(a) {
      access = a;
    },
    useLifecycle(h) {
      hooks.push(h);
    },
    async start() {
      await sweep();
      sweeper = setInterval(() => {
        sweep().catch((err) => kernel.log.warn({ err }, 'sweeping half-written layers failed'));
      }, SWEEP_EVERY_MS);
      sweeper.unref();
    },
    stop() {
      clearInterval(sweeper);
      unwatch();
    },
  };
}
