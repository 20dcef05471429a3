import type { TokenPayload } from './token-format.ts';

interface Entry {
  payload: TokenPayload;
  /** The key the signature was checked with: a hit counts only while that key still verifies. */
  secret: Buffer;
}

/**
 * Remembers tokens whose signature verified, so that a client presenting the same token on
 * every request costs one map look-up instead of an HMAC and a JSON parse. Only the signature
 * check is remembered: expiry, kind, binding, the user's state and the web session are checked
 * on every request as before, and an entry counts only while its key is still the token's key
 * (a retired or replaced key makes it miss). Only verified tokens enter, so garbage cannot fill
 * it; it holds at most `max` entries, dropping the oldest first.
 */
export class VerifiedTokens {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  get(token: string, secret: Buffer): TokenPayload | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (entry.secret !== secret) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.payload;
  }

  remember(token: string, secret: Buffer, payload: TokenPayload): void {
    if (this.#entries.size >= this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(token, { payload: Object.freeze(payload), secret });
  }

  /** Forgets a token whose payload turned out to be unusable (expired, say). */
  forget(token: string): void {
    this.#entries.delete(token);
  }

  get size(): number {
    return this.#entries.size;
  }
}
