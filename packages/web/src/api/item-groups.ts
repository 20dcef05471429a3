import { request } from './client.ts';
import { ApiError } from './errors.ts';
import { quoteTerm, searchItems } from './search.ts';
import type { GroupSummary, ItemGroups } from './types.ts';

const enc = encodeURIComponent;

/** The portal answers an unknown resource with request.invalid "Invalid URL: …". */
function isUnknownResource(err: unknown): boolean {
  return err instanceof ApiError && err.errorCode === 'request.invalid' && /^Invalid URL/.test(err.message);
}

/** The groups the caller can see (administrators: every group). */
export async function listVisibleGroups(): Promise<GroupSummary[]> {
  const answer = await request<{ results?: GroupSummary[] }>('/sharing/rest/community/groups', {
    query: { q: '', num: 100, start: 1, sortField: 'title', sortOrder: 'asc' },
  });
  return answer.results ?? [];
}

/**
 * Which of `candidates` an item is shared with, asked one search per group
 * (`id:<item> AND group:<group>`) for portals without content/items/<id>/groups.
 */
async function sharedAmong(itemId: string, candidates: GroupSummary[]): Promise<GroupSummary[]> {
  const unique = [...new Map(candidates.map((g) => [g.id, g])).values()];
  const hits = await Promise.all(
    unique.map(async (g) => {
      const r = await searchItems(`id:${quoteTerm(itemId)} AND group:${quoteTerm(g.id)}`, 1, 1);
      return r.total > 0 ? g : null;
    }),
  );
  return hits.filter((g): g is GroupSummary => g !== null);
}

/**
 * The groups an item is shared with: content/items/<id>/groups where the portal has it,
 * otherwise found among the groups the caller belongs to or can see.
 */
export async function getItemGroups(itemId: string, myGroups: GroupSummary[]): Promise<GroupSummary[]> {
  try {
    const answer = await request<Partial<ItemGroups>>(`/sharing/rest/content/items/${enc(itemId)}/groups`);
    return [...(answer.admin ?? []), ...(answer.member ?? []), ...(answer.other ?? [])];
  } catch (err) {
    if (!isUnknownResource(err)) throw err;
  }
  return sharedAmong(itemId, [...myGroups, ...(await listVisibleGroups())]);
}
