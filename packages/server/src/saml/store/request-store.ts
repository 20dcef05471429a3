import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { ConsumeRefusal, RequestLookup, SentRequest } from '../validate/types.ts';
import './tables.ts';

/** How long the IdP has to answer an AuthnRequest, by default. */
export const DEFAULT_REQUEST_TTL_MS = 10 * 60_000;

export interface NewRequest {
  id: string;
  login: string;
  oauthTransactionId: string;
  /** The IdP it is sent to, when known: a response from another IdP does not answer it. */
  idpEntityId?: string | null;
  ttlMs?: number;
}

/**
 * The AuthnRequests this portal sent (saml_requests), shared by every node: the sender records
 * each, a response answers one once. Answered rows stay until they expire, so that a second
 * answer is told apart from an unknown one.
 */
export class RequestStore implements RequestLookup {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async record(r: NewRequest, now: number): Promise<void> {
    await this.db
      .insertInto('saml_requests')
      .values({
        id: r.id,
        login: r.login,
        oauth_transaction: r.oauthTransactionId,
        idp_entity_id: r.idpEntityId ?? null,
        created: now,
        expires: now + (r.ttlMs ?? DEFAULT_REQUEST_TTL_MS),
        answered: null,
      })
      .execute();
  }

  async consume(id: string, now: number): Promise<SentRequest | ConsumeRefusal> {
    // One UPDATE decides, atomically across nodes: only one answer marks the row.
    const marked = await this.db
      .updateTable('saml_requests')
      .set({ answered: now })
      .where('id', '=', id)
      .where('answered', 'is', null)
      .where('expires', '>', now)
      .returning(['id', 'login', 'oauth_transaction', 'idp_entity_id'])
      .executeTakeFirst();
    if (marked)
      return {
        id: marked.id,
        login: marked.login,
        oauthTransactionId: marked.oauth_transaction,
        idpEntityId: marked.idp_entity_id,
      };
    const row = await this.db
      .selectFrom('saml_requests')
      .select(['answered', 'expires'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return 'unknown';
    if (row.answered !== null) return 'reused';
    return 'expired';
  }

  /** Deletes the requests that expired; returns how many. */
  async sweep(now: number): Promise<number> {
    const r = await this.db.deleteFrom('saml_requests').where('expires', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
