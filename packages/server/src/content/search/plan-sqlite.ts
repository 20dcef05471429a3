import { type SqlBool, sql } from 'kysely';
import { bboxSql, sqliteBboxCandidates } from './bbox.ts';
import { allOf, conditionSql } from './condition-sql.ts';
import { fts5Query } from './fts5-query.ts';
import {
  chooseWalk,
  DOC_COUNT,
  engineQuery,
  itemsJoin,
  limit,
  type Plan,
  type PlanInput,
} from './plan-input.ts';
import { isKeyOrder, orderBy } from './sort-sql.ts';

/** The term path on SQLite: the words and access tokens as one FTS5 query. */
export function sqliteTermsPlan(input: PlanInput): Plan {
  const match = [sql<SqlBool>`search_fts MATCH ${fts5Query(engineQuery(input))}`];
  // The R*Tree's candidates filter the engine's matches (the unary + keeps SQLite from handing
  // the list to FTS5 one rowid at a time); the exact test is left for the few that remain.
  if (input.bbox) match.push(sql<SqlBool>`+search_fts.rowid IN (${sqliteBboxCandidates(input.bbox)})`);
  const rest = input.rest.map((c) => conditionSql('sqlite', c));
  if (input.bbox) rest.push(bboxSql('sqlite', input.bbox, false));
  const matches = sql`SELECT search_fts.rowid AS doc FROM search_fts WHERE ${allOf(match)}`;
  const keyOrder = isKeyOrder(input.sort);
  // The engine's matches joined to search_docs `d` (rowid order kept: FTS5 drives the join).
  const joined = rest.length
    ? sql`search_fts CROSS JOIN search_docs d ON d.doc = search_fts.rowid WHERE ${allOf([...match, ...rest])}`
    : sql`search_fts WHERE ${allOf(match)}`;
  return {
    path: 'terms',
    count: sql`SELECT count(*) AS n${keyOrder ? sql`` : sql`, ${DOC_COUNT.sqlite} AS docs`} FROM ${joined}`,
    page(total, docs) {
      if (keyOrder) {
        const dir = sql.raw(input.sort[0]!.direction === 'asc' ? 'ASC' : 'DESC');
        return {
          strategy: 'walk',
          query: sql`SELECT o.item_id FROM (SELECT search_fts.rowid AS doc FROM ${joined} ORDER BY search_fts.rowid ${dir} ${limit(input)}) p JOIN search_docs o ON o.doc = p.doc ORDER BY p.doc ${dir}`,
        };
      }
      const items = itemsJoin(input.sort, 'd');
      const order = orderBy(input.sort, 'd');
      if (chooseWalk(input, total, docs))
        return {
          strategy: 'walk',
          query: sql`SELECT d.item_id FROM search_docs d ${items} WHERE ${allOf([sql<SqlBool>`+d.doc IN (${matches})`, ...rest])} ORDER BY ${order} ${limit(input)}`,
        };
      return {
        strategy: 'sort',
        query: sql`SELECT d.item_id FROM (${matches}) m CROSS JOIN search_docs d ON d.doc = m.doc ${items} WHERE ${allOf(rest)} ORDER BY ${order} ${limit(input)}`,
      };
    },
  };
}
