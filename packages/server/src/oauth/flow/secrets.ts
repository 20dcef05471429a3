import { createHash, randomBytes } from 'node:crypto';

/** A new unguessable value (codes, refresh tokens, authorization ids): 256 bits, base64url. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** How codes and refresh tokens are stored: high-entropy values need no slow hash. */
export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newId(): string {
  return randomBytes(16).toString('hex');
}
