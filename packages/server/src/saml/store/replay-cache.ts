import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { ReplayCache } from '../validate/types.ts';
import './tables.ts';

/**
 * The assertion IDs already used (saml_replay), shared by every node, each until its assertion
 * expires. Remembering is one INSERT that the primary key lets only one node win.
 */
export class ReplayStore implements ReplayCache {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async remember(idpEntityId: string, assertionId: string, expires: number, now: number): Promise<boolean> {
    // An expired entry no longer protects anything (its assertion is refused as expired).
    await this.db
      .deleteFrom('saml_replay')
      .where('idp_entity_id', '=', idpEntityId)
      .where('assertion_id', '=', assertionId)
      .where('expires', '<=', now)
      .execute();
    const inserted = await this.db
      .insertInto('saml_replay')
      .values({ idp_entity_id: idpEntityId, assertion_id: assertionId, expires })
      .onConflict((oc) => oc.columns(['idp_entity_id', 'assertion_id']).doNothing())
      .returning('assertion_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Deletes the entries whose assertions expired; returns how many. */
  async sweep(now: number): Promise<number> {
    const r = await this.db.deleteFrom('saml_replay').where('expires', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
