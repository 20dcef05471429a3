import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { FederationsTable } from '../tables.ts';

export type FederationRow = FederationsTable;

export interface NewFederation {
  name: string;
  metadataUrl: string;
  signingCertsPem: string;
  mdqUrl?: string | null;
  discoveryUrl?: string | null;
}

/** A row of federation_idps as written by an ingest. */
export interface IdpRow {
  entity_id: string;
  display_name: string;
  record: string;
  /** Its search terms (search/terms.ts); written to federation_idp_terms. */
  terms?: readonly string[];
}

export interface GenerationMeta {
  validUntil: number;
  cacheDurationMs: number | null;
  entities: number;
  bytes: number;
  nextRefresh: number;
  now: number;
}

/**
 * The federations' rows and their identity providers. An ingest writes a new generation of
 * federation_idps beside the one in use (invisible: readers read the generation the
 * federation row names), then `commitGeneration` switches to it and drops the old one in one
 * transaction; a failed ingest's rows are dropped by `discardGeneration`.
 */
export class FederationStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async create(f: NewFederation, now: number): Promise<FederationRow> {
    const row: FederationRow = {
      id: randomUUID(),
      name: f.name,
      metadata_url: f.metadataUrl,
      mdq_url: f.mdqUrl ?? null,
      signing_certs_pem: f.signingCertsPem,
      discovery_url: f.discoveryUrl ?? null,
      generation: null,
      valid_until: null,
      cache_duration_ms: null,
      entity_count: 0,
      idp_count: 0,
      metadata_bytes: 0,
      last_success: null,
      last_attempt: null,
      last_error_code: null,
      last_error_message: null,
      next_refresh: now,
      refresh_lease_owner: null,
      refresh_lease_expires: null,
      created: now,
      modified: now,
    };
    await this.#db.insertInto('federations').values(row).execute();
    return row;
  }

  get(id: string): Promise<FederationRow | undefined> {
    return this.#db.selectFrom('federations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(): Promise<FederationRow[]> {
    return this.#db.selectFrom('federations').selectAll().orderBy('name').orderBy('id').execute();
  }

  async update(id: string, fields: Partial<NewFederation>, now: number): Promise<boolean> {
    const set: Partial<FederationRow> = { modified: now };
    if (fields.name !== undefined) set.name = fields.name;
    if (fields.metadataUrl !== undefined) set.metadata_url = fields.metadataUrl;
    if (fields.signingCertsPem !== undefined) set.signing_certs_pem = fields.signingCertsPem;
    if (fields.mdqUrl !== undefined) set.mdq_url = fields.mdqUrl;
    if (fields.discoveryUrl !== undefined) set.discovery_url = fields.discoveryUrl;
    const r = await this.#db.updateTable('federations').set(set).where('id', '=', id).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    return await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('federation_idps').where('federation_id', '=', id).execute();
      await trx.deleteFrom('federation_idp_terms').where('federation_id', '=', id).execute();
      const r = await trx.deleteFrom('federations').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /**
   * Takes the refresh lease of a federation for `owner` (an ingest job) until `expires`, if no
   * one holds it (or its holder's lease ran out). Only the holder may write a generation.
   */
  async takeLease(id: string, owner: string, now: number, expires: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('federations')
      .set({ refresh_lease_owner: owner, refresh_lease_expires: expires })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('refresh_lease_owner', 'is', null),
          eb('refresh_lease_owner', '=', owner),
          eb('refresh_lease_expires', '<', now),
        ]),
      )
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    await this.#db
      .updateTable('federations')
      .set({ refresh_lease_owner: null, refresh_lease_expires: null })
      .where('id', '=', id)
      .where('refresh_lease_owner', '=', owner)
      .execute();
  }

  /** Federations with an aggregate whose refresh is due and whose lease is free (not those known through MDQ only). */
  async due(now: number): Promise<FederationRow[]> {
    return await this.#db
      .selectFrom('federations')
      .selectAll()
      .where('next_refresh', '<=', now)
      .where('metadata_url', '!=', '')
      .where((eb) => eb.or([eb('refresh_lease_owner', 'is', null), eb('refresh_lease_expires', '<', now)]))
      .execute();
  }

  /**
   * Claims a due refresh for this node: moves next_refresh from the value read to `until`
   * (compare and set), so that only one node of several starts it.
   */
  async claimDue(id: string, seen: number, until: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('federations')
      .set({ next_refresh: until })
      .where('id', '=', id)
      .where('next_refresh', '=', seen)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** The generation an ingest writes: one past the one in use; leftovers of a failed ingest are dropped. */
  async beginGeneration(id: string): Promise<number> {
    const row = await this.get(id);
    const current = row?.generation ?? 0;
    for (const table of ['federation_idps', 'federation_idp_terms'] as const)
      await this.#db
        .deleteFrom(table)
        .where('federation_id', '=', id)
        .where('generation', '!=', current)
        .execute();
    return current + 1;
  }

  async insertBatch(id: string, generation: number, rows: readonly IdpRow[]): Promise<void> {
    if (!rows.length) return;
    await this.#db
      .insertInto('federation_idps')
      .values(
        rows.map((r) => ({
          federation_id: id,
          generation,
          entity_id: r.entity_id,
          display_name: r.display_name,
          record: r.record,
        })),
      )
      .onConflict((oc) => oc.columns(['federation_id', 'generation', 'entity_id']).doNothing())
      .execute();
    const terms = rows.flatMap((r) =>
      (r.terms ?? []).map((term) => ({ federation_id: id, generation, term, entity_id: r.entity_id })),
    );
    // Several hundred rows per statement: within both databases' limits on bound parameters.
    for (let i = 0; i < terms.length; i += 2000)
      await this.#db
        .insertInto('federation_idp_terms')
        .values(terms.slice(i, i + 2000))
        .onConflict((oc) => oc.columns(['federation_id', 'generation', 'term', 'entity_id']).doNothing())
        .execute();
  }

  /** Switches to `generation` and drops the previous one, in one transaction. Returns the identity providers stored. */
  async commitGeneration(id: string, generation: number, m: GenerationMeta): Promise<number> {
    return await this.#db.transaction().execute(async (trx) => {
      const count = await trx
        .selectFrom('federation_idps')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('federation_id', '=', id)
        .where('generation', '=', generation)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('federations')
        .set({
          generation,
          valid_until: m.validUntil,
          cache_duration_ms: m.cacheDurationMs,
          entity_count: m.entities,
          idp_count: Number(count.n),
          metadata_bytes: m.bytes,
          last_success: m.now,
          last_attempt: m.now,
          last_error_code: null,
          last_error_message: null,
          next_refresh: m.nextRefresh,
          modified: m.now,
        })
        .where('id', '=', id)
        .execute();
      for (const table of ['federation_idps', 'federation_idp_terms'] as const)
        await trx
          .deleteFrom(table)
          .where('federation_id', '=', id)
          .where('generation', '!=', generation)
          .execute();
      return Number(count.n);
    });
  }

  async discardGeneration(id: string, generation: number): Promise<void> {
    for (const table of ['federation_idps', 'federation_idp_terms'] as const)
      await this.#db
        .deleteFrom(table)
        .where('federation_id', '=', id)
        .where('generation', '=', generation)
        .execute();
  }

  /** A failed refresh: the generation in use stays; why it failed is recorded. */
  async recordFailure(
    id: string,
    code: string,
    message: string,
    now: number,
    nextRefresh: number,
  ): Promise<void> {
    await this.#db
      .updateTable('federations')
      .set({
        last_attempt: now,
        last_error_code: code,
        last_error_message: message.slice(0, 4000),
        next_refresh: nextRefresh,
        modified: now,
      })
      .where('id', '=', id)
      .execute();
  }

  /** The identity providers in use, by display name; `q` matches the name or the entity ID. */
  async idps(
    id: string,
    opts: { start: number; num: number; q?: string },
  ): Promise<{ total: number; rows: IdpRow[] }> {
    let base = this.#db
      .selectFrom('federation_idps')
      .where('federation_id', '=', id)
      .where('generation', '=', (eb) =>
        eb.selectFrom('federations').select('generation').where('id', '=', id),
      );
    if (opts.q) {
      const like = `%${opts.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      base = base.where((eb) =>
        eb.or([
          eb(sql`lower(display_name)`, 'like', sql`${like} escape '\\'`),
          eb(sql`lower(entity_id)`, 'like', sql`${like} escape '\\'`),
        ]),
      );
    }
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .select(['entity_id', 'display_name', 'record'])
      .orderBy('display_name')
      .orderBy('entity_id')
      .limit(opts.num)
      .offset(opts.start - 1)
      .execute();
    return { total: Number(total.n), rows };
  }

  /**
   * The discovery search: the identity providers in use each of whose `words` (folded, see
   * search/terms.ts) begins one of their terms, by display name. A word is a range of the
   * terms index (term >= w and term < w + U+10FFFF), so a search reads the matching terms only.
   */
  async search(
    id: string,
    words: readonly string[],
    opts: { start: number; num: number },
  ): Promise<{ total: number; rows: IdpRow[] }> {
    const fed = await this.get(id);
    if (!fed || fed.generation === null) return { total: 0, rows: [] };
    const generation = fed.generation;
    let base = this.#db
      .selectFrom('federation_idps')
      .where('federation_id', '=', id)
      .where('generation', '=', generation);
    for (const w of words)
      base = base.where('entity_id', 'in', (eb) =>
        eb
          .selectFrom('federation_idp_terms')
          .select('entity_id')
          .where('federation_id', '=', id)
          .where('generation', '=', generation)
          .where('term', '>=', w)
          .where('term', '<', `${w}\u{10ffff}`),
      );
    const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base
      .select(['entity_id', 'display_name', 'record'])
      .orderBy('display_name')
      .orderBy('entity_id')
      .limit(opts.num)
      .offset(opts.start - 1)
      .execute();
    return { total: Number(total.n), rows };
  }

  /** Every identity provider in use, in pages (the DiscoFeed), by entity ID. */
  async *allIdps(id: string, pageSize = 500): AsyncGenerator<IdpRow[]> {
    const fed = await this.get(id);
    if (!fed || fed.generation === null) return;
    let after = '';
    for (;;) {
      const rows = await this.#db
        .selectFrom('federation_idps')
        .select(['entity_id', 'display_name', 'record'])
        .where('federation_id', '=', id)
        .where('generation', '=', fed.generation)
        .where('entity_id', '>', after)
        .orderBy('entity_id')
        .limit(pageSize)
        .execute();
      if (!rows.length) return;
      yield rows;
      after = rows[rows.length - 1]!.entity_id;
      if (rows.length < pageSize) return;
    }
  }

  async idp(id: string, entityId: string): Promise<IdpRow | undefined> {
    return await this.#db
      .selectFrom('federation_idps')
      .select(['entity_id', 'display_name', 'record'])
      .where('federation_id', '=', id)
      .where('entity_id', '=', entityId)
      .where('generation', '=', (eb) =>
        eb.selectFrom('federations').select('generation').where('id', '=', id),
      )
      .executeTakeFirst();
  }

  /** Every generation's row count (for the tests of the switch). */
  async generations(id: string): Promise<Record<number, number>> {
    const rows = await this.#db
      .selectFrom('federation_idps')
      .select(['generation', (eb) => eb.fn.countAll<number>().as('n')])
      .where('federation_id', '=', id)
      .groupBy('generation')
      .execute();
    return Object.fromEntries(rows.map((r) => [Number(r.generation), Number(r.n)]));
  }
}
