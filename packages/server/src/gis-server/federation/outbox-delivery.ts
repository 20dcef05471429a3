import type { Kernel } from '../../kernel/kernel.ts';
import type { FederationState } from './federation-state.ts';
import type { Outbox } from './outbox.ts';
import type { PortalClient } from './portal-client.ts';

/** Where a portal item id is kept for a service (the services catalog's setPortalItem). */
export interface PortalItemPort {
  setPortalItem(service: { folder: string; name: string; type: string }, itemId: string): Promise<void>;
}

export interface OutboxDeliveryDeps {
  kernel: Pick<Kernel, 'log' | 'clock'>;
  outbox: Outbox;
  state: FederationState;
  portal: PortalClient;
  /** Late-bound: the services catalog (absent until it is wired). */
  items: () => PortalItemPort | undefined;
  /** This node, in the lease column. */
  owner: string;
  leaseMs?: number;
}

export interface OutboxDelivery {
  /** Delivers one entry now if this node can claim it; answers whether it was delivered. */
  deliver(id: string): Promise<boolean>;
  /** Delivers every due entry this node can claim. */
  runDue(): Promise<void>;
  /** Runs runDue every `everyMs` (never two at once) until stop(). */
  start(everyMs?: number): void;
  stop(): Promise<void>;
}

/** Delivers the outbox to the portal: registerService (then the item id is stored) or unregisterService. */
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
    const p = e.payload;
    try {
      if (e.action === 'register') {
        const { itemId } = await portal.registerService(f, {
          name: p.name ?? '',
          folder: p.folder ?? '',
          type: p.type ?? 'FeatureServer',
          url: e.serviceUrl,
          title: p.title ?? p.name ?? '',
          ...(p.owner ? { owner: p.owner } : {}),
        });
        const items = deps.items();
        if (!items) throw new Error('the services catalog is not wired: the item id cannot be stored yet');
        await items.setPortalItem(
          { folder: p.folder ?? '', name: p.name ?? '', type: p.type ?? 'FeatureServer' },
          itemId,
        );
        kernel.log.info({ serviceUrl: e.serviceUrl, itemId }, 'federation: service registered at the portal');
      } else {
        await portal.unregisterService(f, e.serviceUrl);
        kernel.log.info({ serviceUrl: e.serviceUrl }, 'federation: service unregistered at the portal');
      }
      await outbox.done(e.id, owner);
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const next = await outbox.failed(e, owner, message, now());
      kernel.log.warn(
        {
          action: e.action,
          serviceUrl: e.serviceUrl,
          attempts: e.attempts + 1,
          nextAttempt: new Date(next).toISOString(),
          code: (err as { code?: string }).code,
        },
        `federation: ${e.action} of ${e.serviceUrl} at the portal failed (${message}); it stays in the outbox and is retried`,
      );
      return false;
    }
  }

  async function runDue(): Promise<void> {
    if (!state.current) return;
    for (const id of await outbox.due(now())) await deliver(id);
  }

  const tick = () => {
    running ??= runDue()
      .catch((err) => kernel.log.warn({ err }, 'federation: delivering the outbox failed'))
      .finally(() => {
        running = undefined;
      });
  };

  return {
    deliver,
    runDue,
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
