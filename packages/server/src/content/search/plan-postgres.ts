import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { bboxSql } from './bbox.ts';
import { allOf, conditionSql } from './condition-sql.ts';
import { partitionSql } from './partition.ts';
import {
  chooseWalk,
  DOC_COUNT,
  engineQueries,
  itemsJoin,
  limit,
  type Plan,
  type PlanInput,
} from './plan-input.ts';
import { orderBy, SORT_COLUMNS } from './sort-sql.ts';
import { tsQuery } from './tsquery.ts';

/**
 * The term path on PostgreSQL: in each part of the index the viewer sees into (partition.ts),
 * the words (and the viewer's tokens where that part needs them) as a tsquery over that part's
 * GIN index; what is left (id:, ranges, bbox) checked on the matches. Counts added; a page
 * either reads search_docs in sort order and checks each row, or sorts every match.
 */
export function postgresTermsPlan(input: PlanInput): Plan {
  const rest = input.rest.map((c) => conditionSql('postgres', c));
  const parts = engineQueries(input).map(({ partition, query }) => {
    const q = tsQuery(query);
    const box = input.bbox ? [bboxSql('postgres', input.bbox)] : [];
    return {
      where: allOf([partitionSql(partition), sql<SqlBool>`d.tsv @@ ${q}::tsquery`, ...rest, ...box]),
      // A walk must read in sort order: no index of vis, the tsvector or the extents may drive it.
      walk: allOf([
        partitionSql(partition, 'walk'),
        sql<SqlBool>`coalesce(d.tsv @@ ${q}::tsquery, false)`,
        ...rest,
        ...(input.bbox ? [bboxSql('postgres', input.bbox, false)] : []),
      ]),
    };
  });
  const counts = parts.map((p) => sql`(SELECT count(*) FROM search_docs d WHERE ${p.where})`);
  const either = (conds: RawBuilder<SqlBool>[]) =>
    conds.length === 1 ? conds[0]! : sql<SqlBool>`((${sql.join(conds, sql`) OR (`)}))`;
  return {
    path: 'terms',
    count: sql`SELECT ${sql.join(counts, sql` + `)} AS n, ${DOC_COUNT.postgres} AS docs`,
    page(total, docs) {
      if (chooseWalk(input, total, docs))
        return {
          strategy: 'walk',
          query: sql`SELECT d.item_id FROM search_docs d ${itemsJoin(input.sort, 'd')} WHERE ${either(parts.map((p) => p.walk))} ORDER BY ${orderBy(input.sort, 'd')} ${limit(input)}`,
        };
      const matches = sql.join(
        parts.map((p) => sql`SELECT ${SORT_COLUMNS} FROM search_docs d WHERE ${p.where}`),
        sql` UNION ALL `,
      );
      return {
        strategy: 'sort',
        query: sql`WITH m AS MATERIALIZED (${matches}) SELECT m.item_id FROM m ${itemsJoin(input.sort, 'm')} ORDER BY ${orderBy(input.sort, 'm')} ${limit(input)}`,
      };
    },
  };
}
