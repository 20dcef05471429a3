import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { PortalRefused } from './errors.ts';
import type { FederationState } from './federation-state.ts';
import { type Outbox, servicePathOf } from './outbox.ts';
import type { PortalClient } from './portal-client.ts';

/** Where a portal item id is kept for a service (the services catalog's setPortalItem). */
export interface PortalItemPort {
  setPortalItem(service: { folder: string; name: string; type: string }, itemId: string): Promise<void>;
}

/** A service's URL as this node serves it (…/arcgis/rest/services/<folder>/<name>/FeatureServer). */
export type ServiceUrlOf = (s: { folder: string; name: string; type: string }) => string;

export interface OutboxDeliveryDeps {
  kernel: Pick<Kernel, 'log' | 'clock'>;
  outbox: Outbox;
  state: FederationState;
  portal: PortalClient;
  /** Late-bound: the services catalog (absent until it is wired). */
  items: () => PortalItemPort | undefined;
  /** Late-bound: the services' URLs on this node (a serving node: the URL it is reached at). */
  serviceUrl: () => ServiceUrlOf | undefined;
  /** This node, in the lease column. */
  owner: string;
  leaseMs?: number;
}

export interface OutboxDelivery {
  /** Delivers one entry now if this node can claim it; answers whether it was delivered. */
  deliver(id: string): Promise<boolean>;
  /** Delivers every due entry this node can claim. */
  runDue(): Promise<void>;
  /** Runs runDue now (once more after the run in progress, if there is one). */
  wake(): void;
  /** Runs runDue every `everyMs` (never two at once) until stop(). */
  start(everyMs?: number): void;
  stop(): Promise<void>;
}

/**
 * Delivers the outbox to the portal: registerService (then the item id is stored) or
 * unregisterService, with the service's URL made here, on the delivering node. A portal that is
 * away or fails is tried again after a backoff; a refusal (4xx) is kept as failed, not retried.
 */
export function createOutboxDelivery(deps: OutboxDeliveryDeps): OutboxDelivery {
  const { kernel, outbox, state, portal, owner } = deps;
  const leaseMs = deps.leaseMs ?? 120_000;
  const now = () => kernel.clock.now();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  async function deliver(id: string): Promise<boolean> {
    const f = state.current;
    if (!f) return false;
    const e = await outbox.claim(id, owner, now(), leaseMs);
    if (!e) return false;
    const s = e.service;
    let serviceUrl: string | undefined;
    try {
      const urlOf = deps.serviceUrl();
      if (!urlOf) throw new Error('the services catalog is not wired: the service URL cannot be made yet');
      serviceUrl = urlOf(s);
      if (e.action === 'register') {
        const { itemId } = await portal.registerService(f, {
          name: s.name,
          folder: s.folder,
          type: s.type,
          url: serviceUrl,
          title: s.title ?? s.name,
          ...(s.owner ? { owner: s.owner } : {}),
        });
        const items = deps.items();
        if (!items) throw new Error('the services catalog is not wired: the item id cannot be stored yet');
        await items.setPortalItem({ folder: s.folder, name: s.name, type: s.type }, itemId);
        kernel.log.info({ serviceUrl, itemId }, 'federation: service registered at the portal');
      } else {
        await portal.unregisterService(f, serviceUrl);
        kernel.log.info({ serviceUrl }, 'federation: service unregistered at the portal');
      }
      await outbox.done(e.id, owner);
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const code = isMeridianError(err) ? err.code : undefined;
      const final = code === PortalRefused.code;
      const next = await outbox.failed(e, owner, { message, code, final }, now());
      const what = `federation: ${e.action} of ${servicePathOf(s)} at the portal`;
      const fields = {
        action: e.action,
        service: servicePathOf(s),
        serviceUrl,
        attempts: e.attempts + 1,
        code,
      };
      if (next === undefined)
        kernel.log.error(
          fields,
          `${what} was refused (${message}); it is kept as failed (meridian server federation shows it; --retry sends it again)`,
        );
      else
        kernel.log.warn(
          { ...fields, nextAttempt: new Date(next).toISOString() },
          `${what} failed (${message}); it stays in the outbox and is retried`,
        );
      return false;
    }
  }

  async function runDue(): Promise<void> {
    if (!state.current) return;
    for (const id of await outbox.due(now())) await deliver(id);
  }

  let again = false;
  const tick = () => {
    if (running) {
      again = true;
      return;
    }
    running = runDue()
      .catch((err) => kernel.log.warn({ err }, 'federation: delivering the outbox failed'))
      .finally(() => {
        running = undefined;
        if (again && timer) {
          again = false;
          tick();
        }
      });
  };

  return {
    deliver,
    runDue,
    wake: tick,
    start(everyMs = 5_000) {
      timer = setInterval(tick, everyMs);
      timer.unref();
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
