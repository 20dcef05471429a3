/**
 * Signed JSON documents (invitations, invitation responses): the signature is Ed25519 over the
 * canonical JSON of every other field (object keys sorted, no spaces), so a document read,
 * parsed and written again by any tool still verifies, and any changed value does not.
 */
import { verify } from 'node:crypto';
import type { CollaborationKey } from './keys.ts';
import { publicKeyOf } from './keys.ts';

/** JSON with object keys in code-point order at every level. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The document with its `signature` field added. */
export function signDocument<T extends object>(doc: T, key: CollaborationKey): T & { signature: string } {
  return { ...doc, signature: key.sign(Buffer.from(canonicalJson(doc))) };
}

/** True when `doc.signature` is the signature of the rest of `doc` under the public key (SPKI base64). */
export function verifyDocument(doc: Record<string, unknown>, publicKey: string): boolean {
  const { signature, ...rest } = doc;
  const key = publicKeyOf(publicKey);
  if (!key || typeof signature !== 'string') return false;
  return verify(null, Buffer.from(canonicalJson(rest)), key, Buffer.from(signature, 'base64url'));
}
