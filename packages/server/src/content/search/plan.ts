import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { type Compiled, isExact, type Postings, postingsMatch, type Source } from './to-sql.ts';

/**
 * How a search is answered. The term path scans the entries of the query's rarest required
 * term (or of every alternative of a required OR) and checks everything else on each entry:
 * the access filter and date conditions on the entry's copied columns, the other terms by
 * primary-key probes. The general path checks the whole condition on every search_docs row
 * (queries that no posting list covers, such as `-x` alone or `*`).
 */
export interface Driver {
  path: 'terms' | 'general';
  /** The term path's sources. */
  sources?: Source[];
  /** The condition left to check on x. */
  rest: RawBuilder<SqlBool>[];
}

/** Counting more entries than this does not change which term is the driver. */
const RARITY_CAP = 4000;

/** Index-only counts of the candidates' entries, each stopped at RARITY_CAP. */
async function cappedCounts(db: Kysely<Database>, candidates: Postings[]): Promise<number[]> {
  const cols = candidates.map(
    (p, i) =>
      sql`(SELECT count(*) FROM (SELECT 1 AS one FROM item_terms p WHERE ${postingsMatch('p', p)} LIMIT ${RARITY_CAP}) ${sql.raw(`s${i}`)}) AS ${sql.raw(`c${i}`)}`,
  );
  const r = await sql<Record<string, number | string>>`SELECT ${sql.join(cols)}`.execute(db);
  const row = r.rows[0] ?? {};
  return candidates.map((_, i) => Number(row[`c${i}`] ?? 0));
}

/** Picks the driver of a compiled query (force 'general' for tests). */
export async function chooseDriver(
  db: Kysely<Database>,
  compiled: Compiled,
  force?: 'general',
): Promise<Driver> {
  const parts = compiled.parts ?? [compiled];
  const candidates = parts.filter((p) => p.sources);
  if (force === 'general' || !candidates.length) return { path: 'general', rest: [compiled.sql] };
  let best = 0;
  if (candidates.length > 1) {
    const all = candidates.flatMap((c) => c.sources!.map((s) => s.postings));
    const counts = await cappedCounts(db, all);
    let k = 0;
    // Equal (capped) counts: a single exact term beats a prefix, several fields or alternatives.
    const cost = candidates.map((c) => {
      const n = c.sources!.reduce((sum) => sum + counts[k++]!, 0);
      return n * 2 + (isSimple(c.sources!) ? 0 : 1);
    });
    for (let i = 1; i < candidates.length; i++) if (cost[i]! < cost[best]!) best = i;
  }
  const driver = candidates[best]!;
  return {
    path: 'terms',
    sources: driver.sources!,
    rest: parts.filter((p) => p !== driver).map((p) => p.sql),
  };
}

/** One exact term without extra condition: at most one entry per doc. */
export function isSimple(sources: Source[]): boolean {
  return sources.length === 1 && isExact(sources[0]!.postings) && !sources[0]!.extra;
}

/** The driver's matching entries (doc, modified, created), possibly several per doc. */
export function driverRows(driver: Driver, filters: RawBuilder<SqlBool>[]): RawBuilder<unknown> {
  const branches = driver.sources!.map((s) => {
    const conds = [postingsMatch('x', s.postings), ...(s.extra ? [s.extra] : []), ...driver.rest, ...filters];
    return sql`SELECT x.doc AS doc, x.modified AS modified, x.created AS created FROM item_terms x WHERE ${sql.join(conds, sql` AND `)}`;
  });
  return sql.join(branches, sql` UNION ALL `);
}
