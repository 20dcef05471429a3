import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { SamlSessionsTable } from './tables.ts';
import './tables.ts';

/** How long a SAML sign-in is remembered before its web session (if any) says otherwise. */
const DEFAULT_SESSION_TTL_MS = 14 * 86_400_000;
/** How long the IdP has to answer a LogoutRequest. */
const LOGOUT_REQUEST_TTL_MS = 10 * 60_000;

export type SamlSession = SamlSessionsTable;

/** The portal sign-ins made through SAML (saml_sessions) and the LogoutRequests sent (saml_logout_requests). */
export class LogoutStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** A SAML sign-in finished under this grant (its web session, when already open). */
  async recordSignIn(
    s: Omit<SamlSession, 'created' | 'expires' | 'session_id'> & { session_id?: string; expires?: number },
    now: number,
  ): Promise<void> {
    await this.#db
      .insertInto('saml_sessions')
      .values({
        ...s,
        session_id: s.session_id ?? null,
        created: now,
        expires: s.expires ?? now + DEFAULT_SESSION_TTL_MS,
      })
      .execute();
  }

  /** The web UI opened its session from the grant; nothing when the grant is not a SAML sign-in. */
  async attachSession(grantId: string, sessionId: string, expires: number): Promise<void> {
    await this.#db
      .updateTable('saml_sessions')
      .set({ session_id: sessionId, expires })
      .where('grant_id', '=', grantId)
      .execute();
  }

  async bySession(sessionId: string): Promise<SamlSession | undefined> {
    return this.#db
      .selectFrom('saml_sessions')
      .selectAll()
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
  }

  /** The sign-ins an IdP's LogoutRequest names: its NameID, in these IdP sessions (all of them when none is named). */
  async matching(
    idpEntityId: string,
    nameId: string,
    sessionIndexes: readonly string[],
  ): Promise<SamlSession[]> {
    let q = this.#db
      .selectFrom('saml_sessions')
      .selectAll()
      .where('idp_entity_id', '=', idpEntityId)
      .where('name_id', '=', nameId);
    if (sessionIndexes.length) q = q.where('session_index', 'in', [...sessionIndexes]);
    return q.execute();
  }

  async remove(grantIds: readonly string[]): Promise<void> {
    if (grantIds.length)
      await this.#db
        .deleteFrom('saml_sessions')
        .where('grant_id', 'in', [...grantIds])
        .execute();
  }

  async recordLogoutRequest(
    r: { id: string; login: string; idpEntityId: string; returnTo: string | undefined },
    now: number,
  ): Promise<void> {
    await this.#db
      .insertInto('saml_logout_requests')
      .values({
        id: r.id,
        login: r.login,
        idp_entity_id: r.idpEntityId,
        return_to: r.returnTo ?? null,
        created: now,
        expires: now + LOGOUT_REQUEST_TTL_MS,
        answered: null,
      })
      .execute();
  }

  /** Marks the LogoutRequest answered, once across nodes; undefined when unknown, answered or expired. */
  async consumeLogoutRequest(
    id: string,
    now: number,
  ): Promise<{ login: string; idpEntityId: string; returnTo: string | null } | undefined> {
    const row = await this.#db
      .updateTable('saml_logout_requests')
      .set({ answered: now })
      .where('id', '=', id)
      .where('answered', 'is', null)
      .where('expires', '>', now)
      .returning(['login', 'idp_entity_id', 'return_to'])
      .executeTakeFirst();
    return row && { login: row.login, idpEntityId: row.idp_entity_id, returnTo: row.return_to };
  }

  async sweep(now: number): Promise<void> {
    await this.#db.deleteFrom('saml_sessions').where('expires', '<=', now).execute();
    await this.#db.deleteFrom('saml_logout_requests').where('expires', '<=', now).execute();
  }
}
