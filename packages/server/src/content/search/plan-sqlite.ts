import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { accessSql } from './access.ts';
import { bboxSql, sqliteBboxCandidates } from './bbox.ts';
import { allOf, conditionSql } from './condition-sql.ts';
import { fts5Query } from './fts5-query.ts';
import {
  chooseWalk,
  DOC_COUNT,
  engineQueries,
  itemsJoin,
  limit,
  type Plan,
  type PlanInput,
} from './plan-input.ts';
import type { SortKey } from './sort.ts';
import { isKeyOrder, orderBy } from './sort-sql.ts';
import { FTS_TABLE } from './sqlite-index.ts';
import { VIS } from './visibility.ts';

/** One FTS5 table's part of a search: the words, with the viewer's tokens for that table. */
interface Arm {
  /** FTS5 MATCH and the R*Tree's candidates: the rows of the table that may match. */
  match: RawBuilder<SqlBool>[];
  /** FROM … WHERE: the table's matches, joined to search_docs `d` when the rest needs it. */
  from: RawBuilder<unknown>;
  rowid: RawBuilder<unknown>;
  table: RawBuilder<unknown>;
}

function arms(input: PlanInput, rest: RawBuilder<SqlBool>[]): Arm[] {
  const out: Arm[] = [];
  for (const { partition, query: text } of engineQueries(input)) {
    const table = sql.table(FTS_TABLE[partition]);
    const rowid = sql.ref(`${FTS_TABLE[partition]}.rowid`);
    const match = [sql<SqlBool>`${table} MATCH ${fts5Query(text)}`];
    // The R*Tree's candidates filter the engine's matches (the unary + keeps SQLite from handing
    // the list to FTS5 one rowid at a time); the exact test is left for the few that remain.
    if (input.bbox) match.push(sql<SqlBool>`+${rowid} IN (${sqliteBboxCandidates(input.bbox)})`);
    // The engine's matches drive the join to search_docs `d` (CROSS JOIN: rowid order kept).
    const from = rest.length
      ? sql`${table} CROSS JOIN search_docs d ON d.doc = ${rowid} WHERE ${allOf([...match, ...rest])}`
      : sql`${table} WHERE ${allOf(match)}`;
    out.push({ match, from, rowid, table });
  }
  return out;
}

/** Indexes a walk reads in sort order. */
const SORT_INDEX: Partial<Record<SortKey['column'], string>> = {
  title_sort: 'search_docs_title_sort',
  created: 'search_docs_created',
};

/**
 * Whether the row `d` has the words: one FTS5 lookup of its rowid, in the table its visibility
 * puts it in (the viewer's access is checked on the row itself).
 */
function probe(input: PlanInput): RawBuilder<SqlBool> {
  const q = fts5Query(input.text!);
  const has = (t: string) =>
    sql`EXISTS (SELECT 1 FROM ${sql.table(t)} WHERE ${sql.table(t)} MATCH ${q} AND rowid = d.doc)`;
  return sql<SqlBool>`CASE WHEN d.vis >= ${VIS.org} THEN ${has(FTS_TABLE.open)} ELSE ${has(FTS_TABLE.closed)} END`;
}

/**
 * The term path on SQLite: the words in each FTS5 table the viewer sees into (sqlite-index.ts),
 * with the viewer's own tokens where the table needs them; counts added, pages merged.
 */
export function sqliteTermsPlan(input: PlanInput): Plan {
  const rest = input.rest.map((c) => conditionSql('sqlite', c));
  if (input.bbox) rest.push(bboxSql('sqlite', input.bbox, false));
  const parts = arms(input, rest);
  const keyOrder = isKeyOrder(input.sort);
  const counts = parts.map((a) => sql`(SELECT count(*) FROM ${a.from})`);
  const matches = sql.join(
    parts.map((a) => sql`SELECT ${a.rowid} AS doc FROM ${a.table} WHERE ${allOf(a.match)}`),
    sql` UNION ALL `,
  );
  return {
    path: 'terms',
    count: sql`SELECT ${sql.join(counts, sql` + `)} AS n${keyOrder ? sql`` : sql`, ${DOC_COUNT.sqlite} AS docs`}`,
    page(total, docs) {
      if (keyOrder) {
        // Each table gives its first start + num - 1 matches in key order; the merge, the page.
        const dir = sql.raw(input.sort[0]!.direction === 'asc' ? 'ASC' : 'DESC');
        const firsts = parts.map(
          (a) =>
            sql`SELECT doc FROM (SELECT ${a.rowid} AS doc FROM ${a.from} ORDER BY ${a.rowid} ${dir} LIMIT ${input.start - 1 + input.num})`,
        );
        return {
          strategy: 'walk',
          query: sql`SELECT o.item_id FROM (${sql.join(firsts, sql` UNION ALL `)} ORDER BY doc ${dir} ${limit(input)}) p JOIN search_docs o ON o.doc = p.doc ORDER BY p.doc ${dir}`,
        };
      }
      const items = itemsJoin(input.sort, 'd');
      const order = orderBy(input.sort, 'd');
      const index = SORT_INDEX[input.sort[0]!.column];
      if (index && chooseWalk(input, total, docs))
        return {
          strategy: 'walk',
          query: sql`SELECT d.item_id FROM search_docs d INDEXED BY ${sql.raw(index)} ${items} WHERE ${allOf([...(accessSql(input.access) ? [accessSql(input.access)!] : []), ...rest, probe(input)])} ORDER BY ${order} ${limit(input)}`,
        };
      return {
        strategy: 'sort',
        query: sql`SELECT d.item_id FROM (${matches}) m CROSS JOIN search_docs d ON d.doc = m.doc ${items} WHERE ${allOf(rest)} ORDER BY ${order} ${limit(input)}`,
      };
    },
  };
}
