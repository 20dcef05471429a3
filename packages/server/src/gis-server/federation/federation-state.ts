import type { Kernel } from '../../kernel/kernel.ts';
import { type Federation, readFederation } from './federation-store.ts';
import { FEDERATION_TOPIC } from './topics.ts';

/**
 * The federation this node works with, held in memory so that verifying a portal's token
 * reads no database. Loaded at start; reloaded when any node announces a change on the bus
 * (and after the bus reconnects), so that every node of the server agrees.
 */
export class FederationState {
  readonly #kernel: Pick<Kernel, 'db' | 'box' | 'bus' | 'log'>;
  #current: Federation | undefined;
  #chain: Promise<void> = Promise.resolve();
  #unwatch: (() => void) | undefined;

  constructor(kernel: Pick<Kernel, 'db' | 'box' | 'bus' | 'log'>) {
    this.#kernel = kernel;
  }

  /** Loads the federation and starts following changes. */
  async open(): Promise<void> {
    this.#unwatch = this.#kernel.bus.watch(FEDERATION_TOPIC, () => {
      void this.reload().catch((err) => this.#kernel.log.warn({ err }, 'reloading the federation failed'));
    });
    await this.reload();
  }

  close(): void {
    this.#unwatch?.();
  }

  /** Reads the row again; reloads run one after another, so the last one read wins. */
  reload(): Promise<void> {
    const next = this.#chain
      .catch(() => {})
      .then(() => readFederation(this.#kernel))
      .then((f) => {
        this.#current = f;
      });
    this.#chain = next;
    return next;
  }

  /** The federation now, or undefined when this server stands alone. */
  get current(): Federation | undefined {
    return this.#current;
  }
}
