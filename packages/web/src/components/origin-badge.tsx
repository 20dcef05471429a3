import { itemOrigin } from '../lib/item-origin.ts';

/** "Received" (or "Received, no longer synced") on an item another portal shared through a collaboration. */
export function OriginBadge({ item }: { item: { typeKeywords?: readonly string[] | null } }) {
  const origin = itemOrigin(item);
  if (!origin) return null;
  return (
    <span
      className={`badge ${origin.unsynced ? 'badge-warn' : 'badge-info'}`}
      data-testid="origin-badge"
      title={`Received from portal ${origin.originPortalId} through a collaboration (its item ${origin.originItemId})`}
    >
      {origin.unsynced ? 'Received, no longer synced' : 'Received'}
    </span>
  );
}
