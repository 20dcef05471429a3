import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import { ANY_FIELD, BIGRAM_FIELDS, bigram, FREE_TEXT_FIELDS, GROUP_FIELD, ownerTerm } from './index-terms.ts';
import type { QueryNode } from './parse-query.ts';
import { tokenize } from './tokenize.ts';
import { VIS } from './visibility.ts';

/**
 * Translates a parsed query into one SQL condition on a row `x` that has the columns doc, vis,
 * owner, modified and created: either an index entry (item_terms x, the driver of the term
 * path) or a search_docs row. Every value is a bound parameter; field names come from the fixed
 * lists below, never from q. A term is an index probe on the primary key (field, term, doc);
 * a phrase needs its adjacent word pairs (see phrase()). Conditions that are exactly "x has
 * this term" carry `postings`, so that search-items.ts can scan that term's entries instead.
 */
export interface ToSqlContext {
  /** The organisation id, for orgid:. */
  orgId: string;
}

/** A posting list: the entries of one term (or a prefix range) in some fields. */
export interface Postings {
  fields: readonly string[];
  term: string;
  prefix: boolean;
}

/** Entries of a posting list, kept when `extra` (a condition on x) holds. */
export interface Source {
  postings: Postings;
  extra?: RawBuilder<SqlBool>;
}

export interface Compiled {
  sql: RawBuilder<SqlBool>;
  /** Set when sql means exactly "x.doc has a kept entry in one of these sources". */
  sources?: Source[];
  /** Set for a conjunction: its parts (flattened). */
  parts?: Compiled[];
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

const TRUE: Compiled = { sql: sql<SqlBool>`1 = 1` };
const FALSE: Compiled = { sql: sql<SqlBool>`1 = 0` };
/** Highest code point: term >= p AND term < p + MAX is the prefix range (binary collation). */
const MAX_CHAR = '\u{10FFFF}';

function fail(message: string): never {
  throw new MeridianError(InvalidSearch, `Invalid search query q: ${message}`);
}

/** field/term condition of postings on an alias of item_terms. */
export function postingsMatch(alias: string, p: Postings): RawBuilder<SqlBool> {
  const f = sql.ref(`${alias}.field`);
  const t = sql.ref(`${alias}.term`);
  const fields =
    p.fields.length === 1
      ? sql`${f} = ${p.fields[0]}`
      : sql`${f} IN (${sql.join(p.fields.map((x) => sql`${x}`))})`;
  const term = p.prefix ? sql`${t} >= ${p.term} AND ${t} < ${p.term + MAX_CHAR}` : sql`${t} = ${p.term}`;
  return sql<SqlBool>`${fields} AND ${term}`;
}

/** True when one entry per doc at most (one field, one term): no DISTINCT needed. */
export function isExact(p: Postings): boolean {
  return p.fields.length === 1 && !p.prefix;
}

function postings(fields: readonly string[], term: string, prefix: boolean): Compiled {
  const p = { fields, term, prefix };
  // One term: a primary-key probe per row. Several: the set, built once.
  const cond = isExact(p)
    ? sql<SqlBool>`EXISTS (SELECT 1 FROM item_terms p WHERE ${postingsMatch('p', p)} AND p.doc = x.doc)`
    : sql<SqlBool>`x.doc IN (SELECT p.doc FROM item_terms p WHERE ${postingsMatch('p', p)})`;
  return { sql: cond, sources: [{ postings: p }] };
}

/** items.search_text LIKE pattern, for the doc of x. */
function textCheck(patterns: string[]): Compiled {
  const likes = patterns.map((p) => sql<SqlBool>`i.search_text LIKE ${p}`);
  const any = likes.length === 1 ? likes[0]! : sql<SqlBool>`(${sql.join(likes, sql` OR `)})`;
  return {
    sql: sql<SqlBool>`EXISTS (SELECT 1 FROM search_docs sd JOIN items i ON i.id = sd.item_id WHERE sd.doc = x.doc AND ${any})`,
  };
}

function and(items: Compiled[]): Compiled {
  const parts = items.flatMap((c) => c.parts ?? [c]);
  if (parts.length === 1) return parts[0]!;
  const cond = sql<SqlBool>`(${sql.join(
    parts.map((c) => c.sql),
    sql` AND `,
  )})`;
  // Driven by the first plain posting list, the other parts checked on its entries.
  const lead = parts.find((c) => c.sources?.length === 1 && !c.sources[0]!.extra);
  if (!lead) return { sql: cond, parts };
  const others = parts.filter((c) => c !== lead).map((c) => c.sql);
  return {
    sql: cond,
    parts,
    sources: [
      { postings: lead.sources![0]!.postings, extra: sql.join(others, sql` AND `) as RawBuilder<SqlBool> },
    ],
  };
}

function or(items: Compiled[]): Compiled {
  if (items.length === 1) return items[0]!;
  const cond = sql<SqlBool>`(${sql.join(
    items.map((c) => c.sql),
    sql` OR `,
  )})`;
  if (!items.every((c) => c.sources)) return { sql: cond };
  return { sql: cond, sources: items.flatMap((c) => c.sources!) };
}

/**
 * One word in some fields: free text is the 'any' entry; description (not indexed on its
 * own) is the 'any' entry checked against the description's words in items.search_text.
 */
function wordIn(fields: readonly string[], word: string, prefix: boolean): Compiled {
  if (fields.length > 1) return postings([ANY_FIELD], word, prefix);
  if (fields[0] === 'description')
    return and([
      postings([ANY_FIELD], word, prefix),
      textCheck([`% description:${word}${prefix ? '' : ' '}%`]),
    ]);
  return postings(fields, word, prefix);
}

const BIGRAMS = new Set<string>(BIGRAM_FIELDS);

function phrasePattern(field: string, tokens: string[]): string {
  return `% ${tokens.map((t) => `${field}:${t}`).join(' ')} %`;
}

/**
 * A phrase (or a word that splits into several, like "e-mail"): in fields with word pairs
 * indexed, every adjacent pair must be there (one lookup for two words; three or more words
 * also get the exact sequence checked); in descriptions, the longest word is looked up and
 * the exact sequence checked on those candidates.
 */
function phrase(fields: readonly string[], tokens: string[]): Compiled {
  const alternatives: Compiled[] = [];
  const paired = fields.filter((f) => BIGRAMS.has(f));
  const other = fields.filter((f) => !BIGRAMS.has(f));
  if (paired.length) {
    const pairs = [...new Set(tokens.slice(1).map((t, i) => bigram(tokens[i]!, t)))];
    const lookups = pairs.map((p) => postings(paired, p, false));
    if (tokens.length === 2) alternatives.push(lookups[0]!);
    else alternatives.push(and([...lookups, textCheck(paired.map((f) => phrasePattern(f, tokens)))]));
  }
  if (other.length) {
    const driver = tokens.reduce((a, b) => (b.length > a.length ? b : a));
    alternatives.push(
      and([postings([ANY_FIELD], driver, false), textCheck(other.map((f) => phrasePattern(f, tokens)))]),
    );
  }
  return or(alternatives);
}

function textTerm(fields: readonly string[], value: string, prefix: boolean, shown: string): Compiled {
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

function leafTerm(node: Extract<QueryNode, { kind: 'term' }>, ctx: ToSqlContext): Compiled {
  const { field, value, prefix } = node;
  const shown = `${field ? `${field}:` : ''}${node.phrase ? `"${value}"` : value}`.slice(0, 80);
  if (field === null) return textTerm(FREE_TEXT_FIELDS, value, prefix, `'${shown}'`);
  if (TEXT_FIELDS.has(field)) return textTerm([field], value, prefix, `'${shown}'`);
  if (prefix && field !== 'owner') fail(`a wildcard (*) is not supported on ${field}:.`);
  switch (field) {
    case 'owner':
      if (!value) fail(`owner: needs a username.`);
      return postings(['owner'], ownerTerm(value), prefix);
    case 'id':
      return { sql: sql<SqlBool>`x.doc IN (SELECT p.doc FROM search_docs p WHERE p.item_id = ${value})` };
    case 'access': {
      const v = value.toLowerCase();
      if (!ACCESS_VALUES.has(v))
        fail(`access: takes private, shared, org or public, not '${value.slice(0, 40)}'.`);
      return { sql: sql<SqlBool>`x.vis = ${VIS[v as keyof typeof VIS]}` };
    }
    case 'group':
      return postings([GROUP_FIELD], value, false);
    case 'orgid':
      return value.toLowerCase() === ctx.orgId.toLowerCase() ? TRUE : FALSE;
    case 'created':
    case 'modified':
      return { sql: sql<SqlBool>`${sql.ref(`x.${field}`)} = ${epochMs(value, field)}` };
    default:
      fail(`unknown field '${field}:'. Fields: ${SEARCH_FIELDS.join(', ')}.`);
  }
}

function leafRange(node: Extract<QueryNode, { kind: 'range' }>): Compiled {
  if (node.field !== 'created' && node.field !== 'modified')
    fail(`ranges work on created: and modified:, not on ${node.field}:.`);
  const col = sql.ref(`x.${node.field}`);
  const parts: RawBuilder<SqlBool>[] = [];
  const [gt, lt] = node.inclusive ? [sql`>=`, sql`<=`] : [sql`>`, sql`<`];
  if (node.from !== null) parts.push(sql<SqlBool>`${col} ${gt} ${epochMs(node.from, node.field)}`);
  if (node.to !== null) parts.push(sql<SqlBool>`${col} ${lt} ${epochMs(node.to, node.field)}`);
  if (!parts.length) return TRUE;
  return { sql: sql<SqlBool>`(${sql.join(parts, sql` AND `)})` };
}

/** The SQL condition on x for a parsed query (parameterised). */
export function queryToSql(node: QueryNode, ctx: ToSqlContext): Compiled {
  switch (node.kind) {
    case 'all':
      return TRUE;
    case 'term':
      return leafTerm(node, ctx);
    case 'range':
      return leafRange(node);
    case 'not':
      return { sql: sql<SqlBool>`NOT (${queryToSql(node.item, ctx).sql})` };
    case 'and':
      return and(node.items.map((n) => queryToSql(n, ctx)));
    case 'or':
      return or(node.items.map((n) => queryToSql(n, ctx)));
  }
}
