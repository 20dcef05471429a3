/**
 * How a received item is marked with its origin: type keywords naming the collaboration, the
 * origin portal and item (and, once its origin was unshared or deleted, that it is no longer
 * synced). Marks are never sent on: a portal strips them from what it sends.
 */
export const RECEIVED_MARK = 'collaborationItem';
export const UNSYNCED_MARK = 'collaborationUnsynced';
const PREFIXES = ['collaborationId:', 'originPortalId:', 'originItemId:'];

export const isMark = (k: string) =>
  k === RECEIVED_MARK || k === UNSYNCED_MARK || PREFIXES.some((p) => k.startsWith(p));

export const stripMarks = (keywords: readonly string[]) => keywords.filter((k) => !isMark(k));

export function marks(collaborationId: string, originPortalId: string, originItemId: string): string[] {
  return [
    RECEIVED_MARK,
    `collaborationId:${collaborationId}`,
    `originPortalId:${originPortalId}`,
    `originItemId:${originItemId}`,
  ];
}
