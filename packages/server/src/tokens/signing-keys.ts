import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.ts';
import { MAX_TOKEN_EXPIRATION_LIMIT } from '../portal/module.ts';

/** Bus topic: the set of signing keys changed (a rotation on some node). */
import { KEYS_CHANGED } from './topics.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A key signs new tokens for this long, then the next one takes over. */
export const ROTATE_AFTER_MS = 30 * DAY_MS;
/**
 * A key verifies until every token it can have signed has expired: it signs for at most
 * ROTATE_AFTER_MS and no token lives longer than the org maximum (≤ 20,160 minutes), plus a
 * day of margin for clock skew between nodes. Rotation therefore never invalidates a token
 * that is still in date.
 */
export const RETIRE_AFTER_MS = ROTATE_AFTER_MS + MAX_TOKEN_EXPIRATION_LIMIT * 60_000 + DAY_MS;
/** An unknown kid triggers at most one reload from the database per this interval. */
const RELOAD_MIN_INTERVAL_MS = 1000;

interface Key {
  kid: string;
  secret: Buffer;
  created: number;
  retireAfter: number;
}

function sealContext(kid: string): string {
  return `token_signing_keys:${kid}`;
}

/**
 * The HMAC keys of the token service, sealed with the secrets box in token_signing_keys and
 * held in memory. Every node reads the same table; a rotation on one node is announced on the
 * bus, and a token signed by a key this node does not know yet triggers one reload.
 */
export class SigningKeyRing {
  readonly #ctx: Pick<Kernel, 'db' | 'bus' | 'box'>;
  readonly #now: () => number;
  #keys = new Map<string, Key>();
  #loadedAt = 0;
  #loading: Promise<void> | undefined;

  constructor(ctx: Pick<Kernel, 'db' | 'bus' | 'box'>, now: () => number = Date.now) {
    this.#ctx = ctx;
    this.#now = now;
    ctx.bus.watch(KEYS_CHANGED, () => {
      this.#loadedAt = 0;
      void this.reload().catch(() => {});
    });
  }

  reload(): Promise<void> {
    this.#loading ??= this.#load().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #load(): Promise<void> {
    const rows = await this.#ctx.db.kysely
      .selectFrom('token_signing_keys')
      .selectAll()
      .where('retire_after', '>', this.#now())
      .execute();
    const keys = new Map<string, Key>();
    for (const r of rows) {
      const known = this.#keys.get(r.kid);
      keys.set(r.kid, {
        kid: r.kid,
        secret: known?.secret ?? this.#ctx.box.open(r.secret_sealed, sealContext(r.kid)),
        created: Number(r.created),
        retireAfter: Number(r.retire_after),
      });
    }
    this.#keys = keys;
    this.#loadedAt = this.#now();
  }

  /** The key that signs new tokens: the newest one, rotated when it is due. */
  async signingKey(): Promise<Key> {
    if (this.#loadedAt === 0) await this.reload();
    let newest = this.#newest();
    if (!newest || this.#now() - newest.created >= ROTATE_AFTER_MS) {
      // Another node may have rotated already; look before creating.
      await this.reload();
      newest = this.#newest();
      if (!newest || this.#now() - newest.created >= ROTATE_AFTER_MS) newest = await this.rotate();
    }
    return newest;
  }

  /** The key a token names, if it is known and not retired. */
  async verificationKey(kid: string): Promise<Key | undefined> {
    if (this.#loadedAt === 0) await this.reload();
    let key = this.#keys.get(kid);
    if (!key && this.#now() - this.#loadedAt >= RELOAD_MIN_INTERVAL_MS) {
      await this.reload();
      key = this.#keys.get(kid);
    }
    if (!key || key.retireAfter <= this.#now()) return undefined;
    return key;
  }

  /** Creates a new signing key, removes retired ones, and tells every node. */
  async rotate(): Promise<Key> {
    const now = this.#now();
    const kid = randomBytes(12).toString('base64url');
    const secret = randomBytes(32);
    const key: Key = { kid, secret, created: now, retireAfter: now + RETIRE_AFTER_MS };
    await this.#ctx.db.kysely.transaction().execute(async (trx) => {
      await trx
        .insertInto('token_signing_keys')
        .values({
          kid,
          secret_sealed: this.#ctx.box.seal(secret, sealContext(kid)),
          created: now,
          retire_after: key.retireAfter,
        })
        .execute();
      await trx.deleteFrom('token_signing_keys').where('retire_after', '<=', now).execute();
    });
    this.#keys.set(kid, key);
    await this.#ctx.bus.publish(KEYS_CHANGED, { kid });
    return key;
  }

  #newest(): Key | undefined {
    let newest: Key | undefined;
    for (const k of this.#keys.values()) {
      if (k.retireAfter <= this.#now()) continue;
      if (!newest || k.created > newest.created || (k.created === newest.created && k.kid > newest.kid))
        newest = k;
    }
    return newest;
  }
}
