import { type SqlBool, sql } from 'kysely';
import { bboxSql } from './bbox.ts';
import { allOf, conditionSql } from './condition-sql.ts';
import { DOC_COUNT, engineQuery, type Plan, type PlanInput } from './plan-input.ts';
import { rowsPlan } from './plan-rows.ts';
import { tsQuery } from './tsquery.ts';

/** The term path on PostgreSQL: the words and access tokens as one tsquery over GIN. */
export function postgresTermsPlan(input: PlanInput): Plan {
  const q = tsQuery(engineQuery(input));
  const rest = input.rest.map((c) => conditionSql('postgres', c));
  const where = [sql<SqlBool>`d.tsv @@ ${q}::tsquery`, ...rest];
  // A walk must read in sort order: no index of the tsvector or of the extents may drive it.
  const walkWhere = [sql<SqlBool>`coalesce(d.tsv @@ ${q}::tsquery, false)`, ...rest];
  const box = input.bbox ? [bboxSql('postgres', input.bbox)] : [];
  if (input.bbox) walkWhere.push(bboxSql('postgres', input.bbox, false));
  const plan = rowsPlan(input, 'terms', [...where, ...box], walkWhere);
  const parts = input.access.textParts;
  if (!parts || parts.length < 2) return plan;
  // Counted part by part: GIN intersects the words with one large access token (organisation
  // and public) far faster than with an alternative of it and the user's own tokens.
  const counts = parts.map((part) => {
    const pq = tsQuery({ kind: 'and', items: [input.text!, part] });
    return sql`(SELECT count(*) FROM search_docs d WHERE ${allOf([sql<SqlBool>`d.tsv @@ ${pq}::tsquery`, ...rest, ...box])})`;
  });
  return { ...plan, count: sql`SELECT ${sql.join(counts, sql` + `)} AS n, ${DOC_COUNT.postgres} AS docs` };
}
