import { request } from './client.ts';
import type { Item, SearchResponse } from './types.ts';

export interface SearchSort {
  /** title, created, modified, type, owner, numviews, size; empty for relevance. */
  field: string;
  order: 'asc' | 'desc';
}

export async function searchItems(
  q: string,
  start = 1,
  num = 20,
  sort?: SearchSort,
): Promise<SearchResponse<Item>> {
  const answer = await request<Partial<SearchResponse<Item>>>('/sharing/rest/search', {
    query: {
      q,
      num,
      start,
      sortField: sort?.field || undefined,
      sortOrder: sort?.field ? sort.order : undefined,
    },
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

export interface SearchFilters {
  /** Free text. */
  text: string;
  type: string;
  owner: string;
  tag: string;
}

/** The filters as one ArcGIS query: `words AND type:"Web Map" AND owner:bob AND tags:"flood"`. */
export function buildQuery(f: SearchFilters): string {
  const fields = [
    ['type', f.type],
    ['owner', f.owner],
    ['tags', f.tag],
  ]
    .map(([name, value]) => [name, value!.trim()])
    .filter(([, value]) => value)
    .map(([name, value]) => `${name}:${quoteTerm(value!)}`);
  const text = f.text.trim();
  if (!text) return fields.join(' AND ');
  return fields.length ? [`(${text})`, ...fields].join(' AND ') : text;
}
