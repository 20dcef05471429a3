import { sql } from 'kysely';
import { accessSql } from './access.ts';
import { bboxSql } from './bbox.ts';
import { allOf, conditionSql } from './condition-sql.ts';
import { itemsJoin, limit, type Plan, type PlanInput } from './plan-input.ts';
import { orderBy, SORT_COLUMNS } from './sort-sql.ts';

/**
 * The general path: every condition, and the access filter, on search_docs rows. Its matches
 * are dense (`*`, ranges): a page reads search_docs in sort order (unless forced to sort).
 */
export function generalPlan(input: PlanInput): Plan {
  const where = [conditionSql(input.dialect, input.condition)];
  if (input.bbox) where.push(bboxSql(input.dialect, input.bbox));
  const access = accessSql(input.access);
  const all = access ? [...where, access] : where;
  // Counted part by part: each is a range of an index (vis, owner, the user's groups' shares).
  const parts = input.access.parts;
  const count =
    parts && parts.length > 1
      ? sql<{ n: number | string }>`SELECT ${sql.join(
          parts.map((p) => sql`(SELECT count(*) FROM search_docs d WHERE ${allOf([p, ...where])})`),
          sql` + `,
        )} AS n`
      : sql<{ n: number | string }>`SELECT count(*) AS n FROM search_docs d WHERE ${allOf(all)}`;
  return {
    path: 'general',
    count,
    page() {
      if (input.force?.page !== 'sort')
        return {
          strategy: 'walk',
          query: sql`SELECT d.item_id FROM search_docs d ${itemsJoin(input.sort, 'd')} WHERE ${allOf(all)} ORDER BY ${orderBy(input.sort, 'd')} ${limit(input)}`,
        };
      const materialized = input.dialect === 'postgres' ? sql`MATERIALIZED` : sql``;
      return {
        strategy: 'sort',
        query: sql`WITH m AS ${materialized} (SELECT ${SORT_COLUMNS} FROM search_docs d WHERE ${allOf(all)}) SELECT m.item_id FROM m ${itemsJoin(input.sort, 'm')} ORDER BY ${orderBy(input.sort, 'm')} ${limit(input)}`,
      };
    },
  };
}
