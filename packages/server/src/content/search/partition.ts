import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { VIS } from './visibility.ts';

/**
 * The index is in two parts: the items every signed-in user sees (organisation and public:
 * 'open') and the others (private, and shared with groups: 'closed'). An ordinary user's search
 * is then the words alone in the open part, and the words with the user's own access tokens in
 * the closed part: far cheaper than the words with an alternative of access tokens over every
 * item, on both engines. SQLite keeps one FTS5 table per part (sqlite-index.ts); PostgreSQL one
 * partial GIN index per part (index-terms.ts), chosen by the condition partitionSql gives.
 */
export type Partition = 'open' | 'closed';
export const PARTITIONS: readonly Partition[] = ['open', 'closed'];

export function partitionOf(vis: number): Partition {
  return vis >= VIS.org ? 'open' : 'closed';
}

/**
 * The part's condition on search_docs `d` (a literal, as in the partial indexes' predicate, so
 * that PostgreSQL sees it implies theirs). `use`: 'index' for the predicate of an index (no
 * alias); 'walk' so that no index of vis is used for it (a page read in sort order).
 */
export function partitionSql(p: Partition, use: 'query' | 'index' | 'walk' = 'query'): RawBuilder<SqlBool> {
  const vis = use === 'index' ? sql`vis` : use === 'walk' ? sql`+d.vis` : sql`d.vis`;
  return sql<SqlBool>`${vis} ${sql.raw(p === 'open' ? '>=' : '<')} ${sql.lit(VIS.org)}`;
}
