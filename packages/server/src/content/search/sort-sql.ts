import { type RawBuilder, sql } from 'kysely';
import type { SortKey } from './sort.ts';

/**
 * ORDER BY of a page. Sorting by modified is key order (doc-key.ts); ties of the other keys are
 * broken by doc, in the direction of the first key. `docs`: the alias of the rows that have the
 * search_docs columns (doc, title_sort, created, owner); type, views and size come from items `i`.
 */
export function keyRef(k: SortKey, docs: string): RawBuilder<unknown> {
  switch (k.column) {
    case 'modified':
      return sql.ref(`${docs}.doc`);
    case 'title_sort':
    case 'created':
    case 'owner':
      return sql.ref(`${docs}.${k.column}`);
    default:
      return sql.ref(`i.${k.column}`);
  }
}

/** Whether the sort needs the items row (type, numviews, size). */
export function sortNeedsItems(sort: readonly SortKey[]): boolean {
  return sort.some((k) => k.column === 'type' || k.column === 'num_views' || k.column === 'size');
}

/** Whether the order is key order: its first key is modified. */
export function isKeyOrder(sort: readonly SortKey[]): boolean {
  return sort[0]!.column === 'modified';
}

const dir = (d: SortKey['direction']) => sql.raw(d === 'asc' ? 'ASC' : 'DESC');

export function orderBy(sort: readonly SortKey[], docs: string): RawBuilder<unknown> {
  if (isKeyOrder(sort)) return sql`${sql.ref(`${docs}.doc`)} ${dir(sort[0]!.direction)}`;
  const keys = sort.map((k) => sql`${keyRef(k, docs)} ${dir(k.direction)}`);
  return sql`${sql.join(keys)}, ${sql.ref(`${docs}.doc`)} ${dir(sort[0]!.direction)}`;
}

/** The columns of search_docs `d` a page that sorts every match orders by. */
export const SORT_COLUMNS = sql`d.doc, d.item_id, d.title_sort, d.created, d.owner`;
