import { request } from './client.ts';
import type { Item, SearchResponse } from './types.ts';

export async function searchItems(q: string, start = 1, num = 20): Promise<SearchResponse<Item>> {
  const answer = await request<Partial<SearchResponse<Item>>>('/sharing/rest/search', {
    query: { q, num, start },
  });
  return {
    total: answer.total ?? 0,
    start: answer.start ?? start,
    num: answer.num ?? num,
    nextStart: answer.nextStart ?? -1,
    results: answer.results ?? [],
  };
}

/** A value for the search syntax: bare when it is a plain word (`group:abc123`), else quoted. */
export function quoteTerm(value: string): string {
  return /^[\w.-]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '')}"`;
}
