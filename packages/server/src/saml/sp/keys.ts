import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { SamlSpKeyMissing, SamlSpRolloverState } from '../errors.ts';
import { describeCertificate } from '../logins/certificates.ts';
import '../logins/tables.ts';

/** What the SP keys need of the pki certificate store (its public API has these). */
export interface CertificateStorePort {
  generate(input: {
    alias: string;
    cn: string;
    org?: string;
    keyAlg: 'RSA';
    keySize: number;
    validityDays: number;
    signedBy: 'self';
  }): Promise<unknown>;
  /** The certificate with its key (unsealed), or undefined. */
  load(alias: string): Promise<{ keyPem: string; certChainPem: string } | undefined>;
  remove(alias: string): Promise<void>;
}

export interface SpKey {
  alias: string;
  state: 'active' | 'next';
  keyPem: string;
  certPem: string;
}

export interface SpKeyInfo {
  alias: string;
  state: 'active' | 'next';
  created: number;
  subject: string;
  notAfter: number;
  sha256: string;
}

const FIRST_ALIAS = 'saml-sp-1';
const VALIDITY_DAYS = 3650;
const firstCert = (chain: string) =>
  /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n?/.exec(chain)![0];

/**
 * The service provider's keys: self-signed certificates in the pki certificate store (private
 * keys sealed there), listed here with their rollover state. One 'active' key signs requests
 * and metadata; during a rollover a 'next' key is published beside it (both decrypt).
 *
 * Rollover: add the next key → publish the metadata (both keys) → the IdP updates its copy →
 * retire the old key (the next one becomes active).
 */
export class SpKeys {
  readonly #db: Kysely<Database>;
  readonly #certs: CertificateStorePort;
  readonly #now: () => number;
  readonly #cn: () => string;

  constructor(db: Kysely<Database>, certs: CertificateStorePort, now: () => number, cn: () => string) {
    this.#db = db;
    this.#certs = certs;
    this.#now = now;
    this.#cn = cn;
  }

  async #generate(alias: string): Promise<void> {
    try {
      await this.#certs.generate({
        alias,
        cn: this.#cn(),
        org: 'Meridian SAML service provider',
        keyAlg: 'RSA',
        keySize: 2048,
        validityDays: VALIDITY_DAYS,
        signedBy: 'self',
      });
    } catch (err) {
      // Another node generated it first: its certificate is the one every node uses.
      if ((err as { code?: string }).code !== 'pki.alias_exists') throw err;
    }
  }

  async #rows() {
    return this.#db.selectFrom('saml_sp_keys').selectAll().orderBy('created').orderBy('alias').execute();
  }

  /** The keys, active first; the first key is made on first use (one node wins, every node uses it). */
  async keys(): Promise<SpKey[]> {
    let rows = await this.#rows();
    if (!rows.length) {
      const claimed = await this.#db
        .insertInto('saml_sp_keys')
        .values({ alias: FIRST_ALIAS, state: 'active', created: this.#now() })
        .onConflict((oc) => oc.column('alias').doNothing())
        .returning('alias')
        .executeTakeFirst();
      if (claimed) await this.#generate(FIRST_ALIAS);
      rows = await this.#rows();
    }
    rows.sort((a, b) => (a.state === b.state ? 0 : a.state === 'active' ? -1 : 1));
    const out: SpKey[] = [];
    for (const r of rows) {
      let loaded = await this.#certs.load(r.alias);
      // The node that claimed the key may still be generating it.
      for (let i = 0; !loaded && i < 50; i++) {
        await new Promise((res) => setTimeout(res, 100));
        loaded = await this.#certs.load(r.alias);
      }
      if (!loaded)
        throw new MeridianError(
          SamlSpKeyMissing,
          `The SAML SP key '${r.alias}' is not in the certificate store (was it deleted?). ${SamlSpKeyMissing.fix}`,
        );
      out.push({
        alias: r.alias,
        state: r.state,
        keyPem: loaded.keyPem,
        certPem: firstCert(loaded.certChainPem),
      });
    }
    return out;
  }

  /** The key that signs. */
  async active(): Promise<SpKey> {
    return (await this.keys())[0]!;
  }

  async list(): Promise<SpKeyInfo[]> {
    const keys = await this.keys();
    const created = new Map((await this.#rows()).map((r) => [r.alias, Number(r.created)]));
    return keys.map((k) => ({
      alias: k.alias,
      state: k.state,
      created: created.get(k.alias) ?? 0,
      ...describeCertificate(k.certPem),
    }));
  }

  /** Rollover step 1: a new key, published beside the active one. */
  async add(): Promise<SpKeyInfo[]> {
    const rows = await this.#rows();
    if (!rows.length) await this.keys();
    if ((await this.#rows()).some((r) => r.state === 'next'))
      throw new MeridianError(
        SamlSpRolloverState,
        `A next key is already published: once the IdP uses the new metadata, retire the old key (sp/keys/retire). ${SamlSpRolloverState.fix}`,
      );
    const n = Math.max(0, ...(await this.#rows()).map((r) => Number(/(\d+)$/.exec(r.alias)?.[1] ?? 0))) + 1;
    const alias = `saml-sp-${n}`;
    const claimed = await this.#db
      .insertInto('saml_sp_keys')
      .values({ alias, state: 'next', created: this.#now() })
      .onConflict((oc) => oc.column('alias').doNothing())
      .returning('alias')
      .executeTakeFirst();
    if (!claimed)
      throw new MeridianError(
        SamlSpRolloverState,
        `Another node is adding ${alias}. ${SamlSpRolloverState.fix}`,
      );
    try {
      await this.#generate(alias);
    } catch (err) {
      await this.#db.deleteFrom('saml_sp_keys').where('alias', '=', alias).execute();
      throw err;
    }
    return this.list();
  }

  /** Rollover last step: the old key goes (from the store too), the next one signs from now on. */
  async retire(): Promise<SpKeyInfo[]> {
    const rows = await this.#rows();
    const next = rows.find((r) => r.state === 'next');
    const old = rows.find((r) => r.state === 'active');
    if (!next || !old)
      throw new MeridianError(
        SamlSpRolloverState,
        `There is no next key to switch to: add one first (sp/keys/add) and publish the metadata. ${SamlSpRolloverState.fix}`,
      );
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('saml_sp_keys').where('alias', '=', old.alias).execute();
      await trx
        .updateTable('saml_sp_keys')
        .set({ state: 'active' })
        .where('alias', '=', next.alias)
        .execute();
    });
    await this.#certs.remove(old.alias).catch(() => undefined);
    return this.list();
  }
}
