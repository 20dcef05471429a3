import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A client_id as ArcGIS writes them: 16 random alphanumerics (about 95 bits). */
export function newClientId(): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return id;
}

/** A client_secret: 32 random bytes, hex. Only its hash is stored. */
export function newClientSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * SHA-256 of a secret, hex. A 256-bit random secret needs no slow hash: nothing can be guessed
 * from its hash faster than the secret itself.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `secret` hashes to `storedHash`, in constant time (of the hashes, so of fixed length). */
export function secretMatches(secret: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
