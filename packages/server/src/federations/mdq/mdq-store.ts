import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { FederationMdqEntitiesTable } from '../tables.ts';

export type MdqRow = FederationMdqEntitiesTable;

/** The MDQ cache of the federations (table federation_mdq_entities). */
export class MdqStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  get(federationId: string, entityId: string): Promise<MdqRow | undefined> {
    return this.#db
      .selectFrom('federation_mdq_entities')
      .selectAll()
      .where('federation_id', '=', federationId)
      .where('entity_id', '=', entityId)
      .executeTakeFirst();
  }

  /** Writes an entry (found or negative), replacing the one there. */
  async put(row: MdqRow): Promise<void> {
    await this.#db
      .insertInto('federation_mdq_entities')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['federation_id', 'entity_id']).doUpdateSet({
          record: row.record,
          valid_until: row.valid_until,
          refresh_after: row.refresh_after,
          fetched: row.fetched,
        }),
      )
      .execute();
  }

  /** Entries of a federation (its source or its certificate changed; it was removed). */
  async clear(federationId: string): Promise<void> {
    await this.#db.deleteFrom('federation_mdq_entities').where('federation_id', '=', federationId).execute();
  }

  /** Drops the entries no longer of any use: expired (validUntil passed) or negative and due. */
  async purge(now: number): Promise<number> {
    const r = await this.#db
      .deleteFrom('federation_mdq_entities')
      .where((eb) =>
        eb.or([
          eb('valid_until', '<=', now),
          eb.and([eb('valid_until', 'is', null), eb('refresh_after', '<=', now)]),
        ]),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async count(federationId: string): Promise<number> {
    const r = await this.#db
      .selectFrom('federation_mdq_entities')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('federation_id', '=', federationId)
      .where('record', 'is not', null)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
