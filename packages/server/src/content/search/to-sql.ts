import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { MeridianError } from '../../errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import { BIGRAM_FIELDS, bigram, FREE_TEXT_FIELDS, ownerTerm } from './index-terms.ts';
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

function termIn(fields: readonly string[], term: string, prefix: boolean): RawBuilder<SqlBool> {
  const match = prefix ? sql`term >= ${term} AND term < ${term + MAX_CHAR}` : sql`term = ${term}`;
  return sql<SqlBool>`items.id IN (SELECT item_id FROM item_terms WHERE ${fieldsCondition(fields)} AND ${match})`;
}

function phraseCheck(fields: readonly string[], tokens: string[]): RawBuilder<SqlBool> {
  const checks = fields.map((f) => sql`items.search_text LIKE ${`% ${tokens.map((t) => `${f}:${t}`).join(' ')} %`}`);
  return checks.length === 1 ? (checks[0] as RawBuilder<SqlBool>) : sql<SqlBool>`(${sql.join(checks, sql` OR `)})`;
}

const BIGRAMS = new Set<string>(BIGRAM_FIELDS);

/**
 * A phrase (or a word that splits into several, like "e-mail"): in fields with word pairs
 * indexed, every adjacent pair must be there (one lookup for two words; three or more words
 * also get the exact sequence checked); in descriptions, the longest word is looked up and
 * the exact sequence checked on those candidates.
 */
function phrase(fields: readonly string[], tokens: string[]): RawBuilder<SqlBool> {
  const parts: RawBuilder<SqlBool>[] = [];
  const paired = fields.filter((f) => BIGRAMS.has(f));
  const other = fields.filter((f) => !BIGRAMS.has(f));
  if (paired.length) {
    const pairs = [...new Set(tokens.slice(1).map((t, i) => bigram(tokens[i]!, t)))];
    const lookups = pairs.map((p) => termIn(paired, p, false));
    if (tokens.length > 2) lookups.push(phraseCheck(paired, tokens));
    parts.push(lookups.length === 1 ? lookups[0]! : sql<SqlBool>`(${sql.join(lookups, sql` AND `)})`);
  }
  if (other.length) {
    const driver = tokens.reduce((a, b) => (b.length > a.length ? b : a));
    parts.push(sql<SqlBool>`(${termIn(other, driver, false)} AND ${phraseCheck(other, tokens)})`);
  }
  return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

function textTerm(fields: readonly string[], value: string, prefix: boolean, shown: string): RawBuilder<SqlBool> {
  const tokens = tokenize(value);
  if (tokens.length === 0) fail(`${shown} has no letters or digits to search for.`);
  if (tokens.length === 1) return termIn(fields, tokens[0]!, prefix);
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
      if (!ACCESS_VALUES.has(v)) fail(`access: takes private, shared, org or public, not '${value.slice(0, 40)}'.`);
      return sql<SqlBool>`items.access = ${v}`;
    }
    case 'group':
      return sql<SqlBool>`items.id IN (SELECT item_id FROM item_shares WHERE group_id = ${value})`;
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
    parts.push(node.inclusive ? sql`${col} >= ${epochMs(node.from, node.field)}` : sql`${col} > ${epochMs(node.from, node.field)}`);
  if (node.to !== null)
    parts.push(node.inclusive ? sql`${col} <= ${epochMs(node.to, node.field)}` : sql`${col} < ${epochMs(node.to, node.field)}`);
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
      return sql<SqlBool>`(${sql.join(parts, node.kind === 'and' ? sql` AND ` : sql` OR `)})`;
    }
  }
}
