import type { Kernel } from '../../kernel/kernel.ts';
import { newId } from './secrets.ts';
import { GRANT_REVOKED } from './topics.ts';

type Ctx = Pick<Kernel, 'db' | 'bus' | 'clock' | 'log'>;

/**
 * OAuth grants: one per completed authorization. Access tokens, codes and refresh tokens carry
 * their grant, so that revoking it (a replayed authorization code) stops all of them on every
 * node. Each node keeps the revoked grants that could still have live tokens in memory: token
 * verification asks it without a database read.
 */
export class Grants {
  #revoked = new Set<string>();
  readonly #ctx: Ctx;

  constructor(ctx: Ctx) {
    this.#ctx = ctx;
  }

  isRevoked(id: string): boolean {
    return this.#revoked.has(id);
  }

  async start(): Promise<void> {
    await this.#load();
    this.#ctx.bus.watch(GRANT_REVOKED, (e) => {
      if (e) this.#revoked.add(e.data.id);
      else
        void this.#load().catch((err) =>
          this.#ctx.log.warn({ err }, 'reloading revoked OAuth grants failed'),
        );
    });
  }

  async #load(): Promise<void> {
    const now = this.#ctx.clock.now();
    const rows = await this.#ctx.db.kysely
      .selectFrom('oauth_grants')
      .select('id')
      .where('revoked', 'is not', null)
      .where('expires', '>', now)
      .execute();
    this.#revoked = new Set(rows.map((r) => r.id));
  }

  async create(clientId: string, userId: string, expires: number): Promise<string> {
    const id = newId();
    const now = this.#ctx.clock.now();
    // Grants that nothing can use any more are dropped as new ones are made.
    await this.#ctx.db.kysely.deleteFrom('oauth_grants').where('expires', '<=', now).execute();
    await this.#ctx.db.kysely
      .insertInto('oauth_grants')
      .values({ id, client_id: clientId, user_id: userId, created: now, expires, revoked: null })
      .execute();
    return id;
  }

  /** Something issued under the grant lives until `expires`: its revocation is kept that long. */
  async extend(id: string, expires: number): Promise<void> {
    await this.#ctx.db.kysely
      .updateTable('oauth_grants')
      .set({ expires })
      .where('id', '=', id)
      .where('expires', '<', expires)
      .execute();
  }

  /**
   * Grants revoked in a transaction of another module's (an app removed): every node stops
   * accepting their access tokens. Told before that transaction commits (should it roll back,
   * the app's users sign in again, the safe side); the other nodes are told without waiting,
   * since the embedded database's one connection is the transaction's until it ends.
   */
  revoked(ids: readonly string[]): void {
    for (const id of ids) {
      this.#revoked.add(id);
      void this.#ctx.bus
        .publish(GRANT_REVOKED, { id })
        .catch((err) =>
          this.#ctx.log.warn({ err }, 'telling the other nodes of a revoked OAuth grant failed'),
        );
    }
  }

  /** Revokes the grant and its refresh tokens; every node stops accepting its access tokens. */
  async revoke(id: string): Promise<void> {
    const now = this.#ctx.clock.now();
    await this.#ctx.db.kysely.transaction().execute(async (trx) => {
      await trx.updateTable('oauth_grants').set({ revoked: now }).where('id', '=', id).execute();
      await trx
        .updateTable('oauth_refresh_tokens')
        .set({ revoked: now })
        .where('grant_id', '=', id)
        .where('revoked', 'is', null)
        .execute();
    });
    this.#revoked.add(id);
    await this.#ctx.bus.publish(GRANT_REVOKED, { id });
  }
}
