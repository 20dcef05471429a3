import { randomBytes } from 'node:crypto';

/** A new item, folder or group id: 32 lower-case hex characters, like ArcGIS ids. */
export function newId(): string {
  return randomBytes(16).toString('hex');
}

/** Ids in URLs are checked before they reach a query (they are bound parameters anyway). */
export function isId(value: string): boolean {
  return /^[0-9a-zA-Z_-]{1,64}$/.test(value);
}
