import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { accessSql } from './access.ts';
import { bboxSql } from './bbox.ts';
import { allOf, conditionSql } from './condition-sql.ts';
import {
  chooseWalk,
  DOC_COUNT,
  itemsJoin,
  limit,
  type Plan,
  type PlanInput,
  type SearchPath,
} from './plan-input.ts';
import { isKeyOrder, orderBy } from './sort-sql.ts';

/** The columns a 'sort' page orders by, from search_docs `d`. */
const SORT_COLUMNS = sql`d.doc, d.item_id, d.title_sort, d.created, d.owner`;

/** Rows of search_docs `d` checked in SQL: the general path, and the pages of PostgreSQL. */
export function rowsPlan(
  input: PlanInput,
  path: SearchPath,
  where: RawBuilder<SqlBool>[],
  walkWhere: RawBuilder<SqlBool>[],
): Plan {
  const needsDocs = !(input.dialect === 'sqlite' && isKeyOrder(input.sort)) && path === 'terms';
  return {
    path,
    count: sql`SELECT count(*) AS n${needsDocs ? sql`, ${DOC_COUNT[input.dialect]} AS docs` : sql``} FROM search_docs d WHERE ${allOf(where)}`,
    page(total, docs) {
      const walk = path === 'general' ? input.force?.page !== 'sort' : chooseWalk(input, total, docs);
      if (walk)
        return {
          strategy: 'walk',
          query: sql`SELECT d.item_id FROM search_docs d ${itemsJoin(input.sort, 'd')} WHERE ${allOf(walkWhere)} ORDER BY ${orderBy(input.sort, 'd')} ${limit(input)}`,
        };
      const materialized = input.dialect === 'postgres' ? sql`MATERIALIZED` : sql``;
      return {
        strategy: 'sort',
        query: sql`WITH m AS ${materialized} (SELECT ${SORT_COLUMNS} FROM search_docs d WHERE ${allOf(where)}) SELECT m.item_id FROM m ${itemsJoin(input.sort, 'm')} ORDER BY ${orderBy(input.sort, 'm')} ${limit(input)}`,
      };
    },
  };
}

/** The general path: every condition, and the access filter, on search_docs rows. */
export function generalPlan(input: PlanInput): Plan {
  const where = [conditionSql(input.dialect, input.condition)];
  if (input.bbox) where.push(bboxSql(input.dialect, input.bbox));
  const access = accessSql(input.access);
  const plan = rowsPlan(
    input,
    'general',
    access ? [...where, access] : where,
    access ? [...where, access] : where,
  );
  const parts = input.access.parts;
  if (!parts || parts.length < 2) return plan;
  // Counted part by part: each is a range of an index (vis, owner, the user's groups' shares).
  const counts = parts.map((p) => sql`(SELECT count(*) FROM search_docs d WHERE ${allOf([p, ...where])})`);
  return { ...plan, count: sql`SELECT ${sql.join(counts, sql` + `)} AS n` };
}
