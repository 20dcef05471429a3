import type { Kernel } from '../../kernel/kernel.ts';
import type { FederationState } from './federation-state.ts';
import type { Outbox, OutboxService } from './outbox.ts';
import type { OutboxDelivery } from './outbox-delivery.ts';
import { OUTBOX_TOPIC } from './topics.ts';

/**
 * What the lifecycle hooks need of a service (protocol step 6). No URL: the node that delivers
 * the call makes it, since the process that created the service (a `meridian server publish`)
 * may not know the URL the server is reached at.
 */
export interface ServiceFacts extends OutboxService {
  /** Its owner on this server; the portal makes it the item's owner if it is a portal user (else the federating administrator). */
  owner?: string | undefined;
}

export interface ServiceLifecycleHooks {
  /** Answers the outbox entry's id (undefined when the server is not federated). */
  afterCreate(service: ServiceFacts): Promise<string | undefined>;
  afterDelete(service: ServiceFacts): Promise<string | undefined>;
}

/**
 * The services module's lifecycle hooks on a federated server: a created service is registered
 * at the portal (its item id stored), a deleted one unregistered. The call is written to the
 * outbox first. A serving node delivers it at once (a portal that is down leaves it there for
 * the delivery loop); any other process (a `meridian` command) only announces it on the bus,
 * and the running server delivers it. A server that is not federated does nothing.
 */
export function federationServiceHooks(deps: {
  kernel: Pick<Kernel, 'bus'>;
  state: FederationState;
  outbox: Outbox;
  delivery: Pick<OutboxDelivery, 'deliver'>;
  /** Whether this process serves the server (knows its URL and runs the delivery loop). */
  serving: () => boolean;
  now: () => number;
}): ServiceLifecycleHooks {
  const send = async (action: 'register' | 'unregister', s: ServiceFacts) => {
    if (!deps.state.current) return undefined;
    const id = await deps.outbox.enqueue(action, s, deps.now());
    if (deps.serving()) await deps.delivery.deliver(id);
    else await deps.kernel.bus.publish(OUTBOX_TOPIC, { id });
    return id;
  };
  return {
    afterCreate: (s) => send('register', s),
    afterDelete: (s) => send('unregister', s),
  };
}
