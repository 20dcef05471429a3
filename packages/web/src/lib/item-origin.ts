/**
 * Where a received item comes from, read from the type keywords collaboration marks it with
 * (packages/server/src/collaboration/item-marks.ts): collaborationItem, collaborationId:<id>,
 * originPortalId:<portal id>, originItemId:<item id>, and collaborationUnsynced once its origin
 * was unshared or deleted (the copy kept). The literal types tie these names to the server's.
 */
import type { RECEIVED_MARK, UNSYNCED_MARK } from '@meridian/server/collaboration/item-marks.ts';

const RECEIVED: typeof RECEIVED_MARK = 'collaborationItem';
const UNSYNCED: typeof UNSYNCED_MARK = 'collaborationUnsynced';

export interface ItemOrigin {
  collaborationId: string;
  originPortalId: string;
  originItemId: string;
  /** Its origin was unshared or deleted: this copy is kept, no longer synced. */
  unsynced: boolean;
}

/** The origin of an item received through a collaboration, or null for an item made here. */
export function itemOrigin(item: { typeKeywords?: readonly string[] | null }): ItemOrigin | null {
  const keywords = item.typeKeywords ?? [];
  if (!keywords.includes(RECEIVED)) return null;
  const value = (prefix: string) => keywords.find((k) => k.startsWith(prefix))?.slice(prefix.length) ?? '';
  return {
    collaborationId: value('collaborationId:'),
    originPortalId: value('originPortalId:'),
    originItemId: value('originItemId:'),
    unsynced: keywords.includes(UNSYNCED),
  };
}
