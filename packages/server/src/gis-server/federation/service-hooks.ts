import type { FederationState } from './federation-state.ts';
import type { Outbox } from './outbox.ts';
import type { OutboxDelivery } from './outbox-delivery.ts';

/** What the lifecycle hooks need of a service (protocol step 6). */
export interface ServiceFacts {
  folder: string;
  name: string;
  /** 'FeatureServer'. */
  type: string;
  /** Its URL on this server (…/arcgis/rest/services/<folder>/<name>/FeatureServer). */
  url: string;
  title?: string;
  /** The portal username to own its item (default: the federating administrator). */
  owner?: string;
}

export interface ServiceLifecycleHooks {
  afterCreate(service: ServiceFacts): Promise<void>;
  afterDelete(service: ServiceFacts): Promise<void>;
}

/**
 * The services module's lifecycle hooks on a federated server: a created service is registered
 * at the portal (its item id stored), a deleted one unregistered. The call is written to the
 * outbox first and tried at once; a portal that is down leaves it there for the delivery loop.
 * A server that is not federated does nothing.
 */
export function federationServiceHooks(deps: {
  state: FederationState;
  outbox: Outbox;
  delivery: Pick<OutboxDelivery, 'deliver'>;
  now: () => number;
}): ServiceLifecycleHooks {
  const send = async (action: 'register' | 'unregister', s: ServiceFacts) => {
    if (!deps.state.current) return;
    const payload: Record<string, string> = {
      folder: s.folder,
      name: s.name,
      type: s.type,
      title: s.title ?? s.name,
      ...(s.owner ? { owner: s.owner } : {}),
    };
    const id = await deps.outbox.enqueue(action, s.url, payload, deps.now());
    await deps.delivery.deliver(id);
  };
  return {
    afterCreate: (s) => send('register', s),
    afterDelete: (s) => send('unregister', s),
  };
}
