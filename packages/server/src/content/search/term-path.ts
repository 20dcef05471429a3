import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Viewer } from '../viewer.ts';
import { ANY_FIELD, BIGRAM_FIELDS, bigram, FREE_TEXT_FIELDS, ownerTerm } from './index-terms.ts';
import type { QueryNode } from './parse-query.ts';
import type { SortKey } from './sort.ts';
import { tokenize } from './tokenize.ts';

/**
 * The fast path of search, for its everyday shape: one or more words, field words, owners or
 * two-word phrases joined by AND, sorted by modified or created. Each index entry carries a
 * copy of its item's access, owner, modified and created, so the count and the page are read
 * from one contiguous range of item_terms (the rarest term's), filtered for access in place;
 * the other terms are primary-key probes. Other shapes take the general path (to-sql.ts).
 */
export interface TermLookup {
  fields: readonly string[];
  term: string;
  prefix: boolean;
}

const TEXT = new Set<string>(FREE_TEXT_FIELDS);
const BIGRAMS = new Set<string>(BIGRAM_FIELDS);
const MAX_CHAR = '\u{10FFFF}';

function lookupOf(node: QueryNode): TermLookup | undefined {
  if (node.kind !== 'term') return undefined;
  const { field, value, prefix } = node;
  if (field === 'owner') return value ? { fields: ['owner'], term: ownerTerm(value), prefix } : undefined;
  if (field !== null && (!TEXT.has(field) || field === 'description')) return undefined;
  const fields = field === null ? FREE_TEXT_FIELDS : [field];
  const tokens = tokenize(value);
  if (tokens.length === 1) return { fields: field === null ? [ANY_FIELD] : fields, term: tokens[0]!, prefix };
  // A two-word phrase is one word-pair term, exact only in fields that index word pairs.
  if (tokens.length === 2 && !prefix && fields.every((f) => BIGRAMS.has(f)))
    return { fields, term: bigram(tokens[0]!, tokens[1]!), prefix: false };
  return undefined;
}

/** The lookups of a query this path can answer, or undefined. */
export function termPathLookups(
  node: QueryNode,
  sort: SortKey[],
  hasBbox: boolean,
): TermLookup[] | undefined {
  if (hasBbox || sort.length !== 1 || (sort[0]!.column !== 'modified' && sort[0]!.column !== 'created'))
    return undefined;
  const leaves = node.kind === 'and' ? node.items : [node];
  const lookups = leaves.map(lookupOf);
  return lookups.every((l) => l !== undefined) && lookups.length <= 8 ? (lookups as TermLookup[]) : undefined;
}

function match(alias: string, l: TermLookup): RawBuilder<SqlBool> {
  const f = sql.ref(`${alias}.field`);
  const t = sql.ref(`${alias}.term`);
  const fields =
    l.fields.length === 1
      ? sql`${f} = ${l.fields[0]}`
      : sql`${f} IN (${sql.join(l.fields.map((x) => sql`${x}`))})`;
  const term = l.prefix ? sql`${t} >= ${l.term} AND ${t} < ${l.term + MAX_CHAR}` : sql`${t} = ${l.term}`;
  return sql<SqlBool>`${fields} AND ${term}`;
}

function access(viewer: Viewer): RawBuilder<SqlBool> {
  if (viewer.isAdmin) return sql<SqlBool>`1 = 1`;
  if (!viewer.username) return sql<SqlBool>`t.access = 'public'`;
  return sql<SqlBool>`(t.access IN ('public', 'org') OR t.owner = ${viewer.username} OR (t.access = 'shared' AND t.item_id IN (SELECT s.item_id FROM item_shares s JOIN group_members m ON m.group_id = s.group_id WHERE m.username = ${viewer.username})))`;
}

/** Picks the lookup with the fewest index entries (an index-only count per lookup). */
async function rarest(db: Kysely<Database>, lookups: TermLookup[]): Promise<number> {
  if (lookups.length === 1) return 0;
  let best = 0;
  let bestCount = Number.POSITIVE_INFINITY;
  for (const [i, l] of lookups.entries()) {
    const r = await sql<{
      n: number | string;
    }>`SELECT count(*) AS n FROM item_terms t WHERE ${match('t', l)}`.execute(db);
    const n = Number(r.rows[0]?.n ?? 0);
    if (n < bestCount) {
      best = i;
      bestCount = n;
    }
  }
  return best;
}

/** The count and page statements of the fast path. */
export async function termPathQueries(
  db: Kysely<Database>,
  viewer: Viewer,
  lookups: TermLookup[],
  sort: SortKey,
  start: number,
  num: number,
) {
  const d = await rarest(db, lookups);
  const driver = lookups[d]!;
  const probes = lookups
    .filter((_, i) => i !== d)
    .map((l) => sql`EXISTS (SELECT 1 FROM item_terms p WHERE ${match('p', l)} AND p.item_id = t.item_id)`);
  const where = sql.join([match('t', driver), access(viewer), ...probes], sql` AND `);
  const distinct = driver.fields.length > 1 || driver.prefix;
  const col = sql.ref(`t.${sort.column}`);
  const dir = sql.raw(sort.direction === 'asc' ? 'ASC' : 'DESC');
  const count = distinct
    ? sql<{ n: number | string }>`SELECT count(DISTINCT t.item_id) AS n FROM item_terms t WHERE ${where}`
    : sql<{ n: number | string }>`SELECT count(*) AS n FROM item_terms t WHERE ${where}`;
  const page = distinct
    ? sql<{
        id: string;
      }>`SELECT t.item_id AS id, max(${col}) AS k FROM item_terms t WHERE ${where} GROUP BY t.item_id ORDER BY k ${dir}, t.item_id ASC LIMIT ${num} OFFSET ${start - 1}`
    : sql<{
        id: string;
      }>`SELECT t.item_id AS id FROM item_terms t WHERE ${where} ORDER BY ${col} ${dir}, t.item_id ASC LIMIT ${num} OFFSET ${start - 1}`;
  return { count, page };
}
