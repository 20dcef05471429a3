import type { Kernel } from '../kernel/kernel.ts';
import { listServerRows, type ServerRow } from './store.ts';
import { SERVERS_CHANGED } from './topics.ts';

/** The secrets box context of a server's shared secret: a sealed value is useless under another id. */
export const secretContext = (id: string) => `federated-server:${id}`;

/** What signing needs of a federated server, held in memory. */
export interface ServerKey {
  row: ServerRow;
  key: Buffer;
}

/**
 * The federated servers with their opened shared secrets, kept in memory by each node (a server
 * token is signed on every generateToken): loaded at first use, dropped when any node says the
 * servers changed (or the bus reconnected), so several nodes on one database agree.
 */
export class ServerKeys {
  readonly #kernel: Pick<Kernel, 'db' | 'box' | 'bus'>;
  #loaded: Promise<Map<string, ServerKey>> | undefined;
  readonly #off: () => void;

  constructor(kernel: Pick<Kernel, 'db' | 'box' | 'bus'>) {
    this.#kernel = kernel;
    this.#off = kernel.bus.watch(SERVERS_CHANGED, () => {
      this.#loaded = undefined;
    });
  }

  async #load(): Promise<Map<string, ServerKey>> {
    const rows = await listServerRows(this.#kernel.db.kysely);
    return new Map(
      rows.map((row) => [
        row.id,
        {
          row,
          key: Buffer.from(this.#kernel.box.openText(row.secret_sealed, secretContext(row.id)), 'base64url'),
        },
      ]),
    );
  }

  async all(): Promise<Map<string, ServerKey>> {
    this.#loaded ??= this.#load().catch((err) => {
      this.#loaded = undefined;
      throw err;
    });
    return this.#loaded;
  }

  async get(id: string): Promise<ServerKey | undefined> {
    return (await this.all()).get(id);
  }

  /** Drops this node's copy and tells every node. */
  async changed(id: string): Promise<void> {
    this.#loaded = undefined;
    await this.#kernel.bus.publish(SERVERS_CHANGED, { id });
  }

  close(): void {
    this.#off();
  }
}
