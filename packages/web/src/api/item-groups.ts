import { request } from './client.ts';
import type { GroupSummary, ItemGroups } from './types.ts';

/** The groups an item is shared with that the caller may see (content/items/<id>/groups). */
export async function getItemGroups(itemId: string): Promise<GroupSummary[]> {
  const answer = await request<Partial<ItemGroups>>(
    `/sharing/rest/content/items/${encodeURIComponent(itemId)}/groups`,
  );
  return [...(answer.admin ?? []), ...(answer.member ?? []), ...(answer.other ?? [])];
}
