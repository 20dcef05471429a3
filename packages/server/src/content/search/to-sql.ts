import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { MeridianError } from '../../errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import { ANY_FIELD, BIGRAM_FIELDS, bigram, FREE_TEXT_FIELDS, ownerTerm } from './index-terms.ts';
import type { QueryNode } from './parse-query.ts';
import { tokenize } from './tokenize.ts';

/**
 * Translates a parsed query into one SQL condition on `items`. Every value is a bound
 * parameter; field names come from the fixed lists below, never from q. Text terms are
 * looked up in the inverted index item_terms (primary key (field, term, item_id)); a phrase
 * looks up its adjacent word pairs (see phrase()).  The same SQL runs on SQLite and PostgreSQL.
 */
export interface ToSqlContext {
  /** The organisation id, for orgid:. */
  orgId: string;
}

const TEXT_FIELDS = new Set<string>(FREE_TEXT_FIELDS);
const ACCESS_VALUES = new Set(['private', 'shared', 'org', 'public']);
export const SEARCH_FIELDS = [
  ...FREE_TEXT_FIELDS,
  'id',
  'owner',
  'access',
  'group',
  'orgid',
  'created',
  'modified',
] as const;

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;
/** Highest code point: term >= p AND term < p + MAX is the prefix range (binary collation). */
const MAX_CHAR = '\u{10FFFF}';

function fail(message: string): never {
  throw new MeridianError(InvalidSearch, `Invalid search query q: ${message}`);
}

function fieldsCondition(fields: readonly string[]) {
  return fields.length === 1
    ? sql`field = ${fields[0]}`
    : sql`field IN (${sql.join(fields.map((f) => sql`${f}`))})`;
}

/** The ids of the items with a term: SELECT item_id FROM item_terms … */
function termSet(fields: readonly string[], term: string, prefix: boolean): RawBuilder<unknown> {
  const match = prefix ? sql`term >= ${term} AND term < ${term + MAX_CHAR}` : sql`term = ${term}`;
  return sql`SELECT item_id FROM item_terms WHERE ${fieldsCondition(fields)} AND ${match}`;
}

const SETS = new WeakMap<RawBuilder<SqlBool>, RawBuilder<unknown>>();

/** items.id IN (set), remembering the set so that OR can become one IN (… UNION …). */
function inSet(set: RawBuilder<unknown>): RawBuilder<SqlBool> {
  const cond = sql<SqlBool>`items.id IN (${set})`;
  SETS.set(cond, set);
  return cond;
}

function termIn(fields: readonly string[], term: string, prefix: boolean): RawBuilder<SqlBool> {
  return inSet(termSet(fields, term, prefix));
}

/**
 * One word in some fields: free text is the 'any' range; description (not indexed on its
 * own) is the 'any' range checked against the description's words in items.search_text.
 */
function wordIn(fields: readonly string[], word: string, prefix: boolean): RawBuilder<SqlBool> {
  if (fields.length > 1) return termIn([ANY_FIELD], word, prefix);
  if (fields[0] === 'description')
    return inSet(
      sql`SELECT items.id AS item_id FROM items WHERE items.id IN (${termSet([ANY_FIELD], word, prefix)}) AND items.search_text LIKE ${`% description:${word}${prefix ? '' : ' '}%`}`,
    );
  return termIn(fields, word, prefix);
}

function phraseCheck(fields: readonly string[], tokens: string[]): RawBuilder<SqlBool> {
  const checks = fields.map(
    (f) => sql`items.search_text LIKE ${`% ${tokens.map((t) => `${f}:${t}`).join(' ')} %`}`,
  );
  return checks.length === 1
    ? (checks[0] as RawBuilder<SqlBool>)
    : sql<SqlBool>`(${sql.join(checks, sql` OR `)})`;
}

const BIGRAMS = new Set<string>(BIGRAM_FIELDS);

/**
 * A phrase (or a word that splits into several, like "e-mail"): in fields with word pairs
 * indexed, every adjacent pair must be there (one lookup for two words; three or more words
 * also get the exact sequence checked); in descriptions, the longest word is looked up and
 * the exact sequence checked on those candidates.
 */
function phrase(fields: readonly string[], tokens: string[]): RawBuilder<SqlBool> {
  const sets: RawBuilder<unknown>[] = [];
  const paired = fields.filter((f) => BIGRAMS.has(f));
  const other = fields.filter((f) => !BIGRAMS.has(f));
  if (paired.length) {
    const pairs = [...new Set(tokens.slice(1).map((t, i) => bigram(tokens[i]!, t)))];
    if (tokens.length === 2) sets.push(termSet(paired, pairs[0]!, false));
    else {
      const lookups = pairs.map((p) => sql`items.id IN (${termSet(paired, p, false)})`);
      sets.push(
        sql`SELECT items.id AS item_id FROM items WHERE ${sql.join(lookups, sql` AND `)} AND ${phraseCheck(paired, tokens)}`,
      );
    }
  }
  if (other.length) {
    const driver = tokens.reduce((a, b) => (b.length > a.length ? b : a));
    sets.push(
      sql`SELECT items.id AS item_id FROM items WHERE items.id IN (${termSet([ANY_FIELD], driver, false)}) AND ${phraseCheck(other, tokens)}`,
    );
  }
  return inSet(sets.length === 1 ? sets[0]! : sql`${sql.join(sets, sql` UNION `)}`);
}

function textTerm(
  fields: readonly string[],
  value: string,
  prefix: boolean,
  shown: string,
): RawBuilder<SqlBool> {
  const tokens = tokenize(value);
  if (tokens.length === 0) fail(`${shown} has no letters or digits to search for.`);
  if (tokens.length === 1) return wordIn(fields, tokens[0]!, prefix);
  if (prefix) fail(`a wildcard (*) works only on a single word, not on ${shown}.`);
  return phrase(fields, tokens);
}

function epochMs(value: string, field: string): number {
  if (!/^\d{1,16}$/.test(value))
    fail(`${field} takes epoch milliseconds (digits only), not '${value.slice(0, 40)}'.`);
  return Number(value);
}

function leafTerm(node: Extract<QueryNode, { kind: 'term' }>, ctx: ToSqlContext): RawBuilder<SqlBool> {
  const { field, value, prefix } = node;
  const shown = `${field ? `${field}:` : ''}${node.phrase ? `"${value}"` : value}`.slice(0, 80);
  if (field === null) return textTerm(FREE_TEXT_FIELDS, value, prefix, `'${shown}'`);
  if (TEXT_FIELDS.has(field)) return textTerm([field], value, prefix, `'${shown}'`);
  if (prefix && field !== 'owner') fail(`a wildcard (*) is not supported on ${field}:.`);
  switch (field) {
    case 'owner':
      if (!value) fail(`owner: needs a username.`);
      return termIn(['owner'], ownerTerm(value), prefix);
    case 'id':
      return sql<SqlBool>`items.id = ${value}`;
    case 'access': {
      const v = value.toLowerCase();
      if (!ACCESS_VALUES.has(v))
        fail(`access: takes private, shared, org or public, not '${value.slice(0, 40)}'.`);
      return sql<SqlBool>`items.access = ${v}`;
    }
    case 'group':
      return inSet(sql`SELECT item_id FROM item_shares WHERE group_id = ${value}`);
    case 'orgid':
      return value.toLowerCase() === ctx.orgId.toLowerCase() ? TRUE : FALSE;
    case 'created':
    case 'modified':
      return sql<SqlBool>`${sql.ref(`items.${field}`)} = ${epochMs(value, field)}`;
    default:
      fail(`unknown field '${field}:'. Fields: ${SEARCH_FIELDS.join(', ')}.`);
  }
}

function leafRange(node: Extract<QueryNode, { kind: 'range' }>): RawBuilder<SqlBool> {
  if (node.field !== 'created' && node.field !== 'modified')
    fail(`ranges work on created: and modified:, not on ${node.field}:.`);
  const col = sql.ref(`items.${node.field}`);
  const parts: RawBuilder<unknown>[] = [];
  if (node.from !== null)
    parts.push(
      node.inclusive
        ? sql`${col} >= ${epochMs(node.from, node.field)}`
        : sql`${col} > ${epochMs(node.from, node.field)}`,
    );
  if (node.to !== null)
    parts.push(
      node.inclusive
        ? sql`${col} <= ${epochMs(node.to, node.field)}`
        : sql`${col} < ${epochMs(node.to, node.field)}`,
    );
  if (!parts.length) return TRUE;
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
}

/** The SQL condition for a parsed query (parameterised). */
export function queryToSql(node: QueryNode, ctx: ToSqlContext): RawBuilder<SqlBool> {
  switch (node.kind) {
    case 'all':
      return TRUE;
    case 'term':
      return leafTerm(node, ctx);
    case 'range':
      return leafRange(node);
    case 'not':
      return sql<SqlBool>`NOT (${queryToSql(node.item, ctx)})`;
    case 'and':
    case 'or': {
      const parts = node.items.map((n) => queryToSql(n, ctx));
      const sets = parts.map((p) => SETS.get(p));
      // PostgreSQL cannot use an index for "id IN (a) OR id IN (b)"; "id IN (a UNION b)" it can.
      if (node.kind === 'or' && sets.every((x) => x !== undefined))
        return inSet(sql`${sql.join(sets as RawBuilder<unknown>[], sql` UNION `)}`);
      return sql<SqlBool>`(${sql.join(parts, node.kind === 'and' ? sql` AND ` : sql` OR `)})`;
    }
  }
}
