import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Viewer } from '../viewer.ts';
import { GROUP_FIELD } from './index-terms.ts';
import { VIS } from './visibility.ts';

/**
 * The items a viewer may see, as a condition on a row `x` with vis, owner and doc (an index
 * entry or a search_docs row): administrators everything; anonymous callers public items; a
 * signed-in user their own items, public and organisation items, and 'shared' items with an
 * entry for one of their groups (`groups`, read once per search). Undefined: nothing filtered.
 */
export function itemAccessFilter(viewer: Viewer, groups: readonly string[]): RawBuilder<SqlBool> | undefined {
  if (viewer.isAdmin) return undefined;
  if (!viewer.username) return sql<SqlBool>`x.vis = ${VIS.public}`;
  const mine = sql<SqlBool>`x.vis >= ${VIS.org} OR x.owner = ${viewer.username}`;
  if (!groups.length) return sql<SqlBool>`(${mine})`;
  return sql<SqlBool>`(${mine} OR (x.vis = ${VIS.shared} AND x.doc IN (SELECT g.doc FROM item_terms g WHERE g.field = ${GROUP_FIELD} AND g.term IN (${sql.join(groups.map((id) => sql`${id}`))}))))`;
}
