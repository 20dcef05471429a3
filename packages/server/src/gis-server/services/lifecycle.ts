/**
 * What happens around a service's creation and deletion beyond the catalog and the store: a
 * federated server registers the service as a portal item and unregisters it. A hook that
 * fails is logged; the service stays created or deleted (its own retry is the hook's business).
 */
import type { ServiceRecord } from './catalog.ts';

export interface ServiceLifecycle {
  afterCreate?(service: ServiceRecord): Promise<void>;
  afterDelete?(service: ServiceRecord): Promise<void>;
}
