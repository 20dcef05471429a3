import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { ItemsTable } from '../tables.ts';
import type { SearchDocsTable, SearchTermsTable } from './tables.ts';
import { VIS, visOf } from './visibility.ts';

type Trx = Transaction<Database> | Kysely<Database>;

import { stripMarkup, tokenize } from './tokenize.ts';

/**
 * Fields a free-text term (no field: prefix) matches. Their words are indexed together under
 * the field 'any' (one range per word, no duplicates); descriptions only there (description:
 * checks items.search_text on those candidates).
 */
export const ANY_FIELD = 'any';
const MAX_ANY_TERMS = 2000;
/** Fields a free-text term (no field: prefix) is looked up in. */
export const FREE_TEXT_FIELDS = ['title', 'snippet', 'description', 'tags', 'typekeywords', 'type'] as const;
export type TextField = (typeof FREE_TEXT_FIELDS)[number];

/**
 * Fields whose adjacent word pairs are indexed too ("web map" as one term), so that a
 * two-word phrase such as type:"Web Map" is one index lookup. Descriptions are long: their
 * phrases are checked on the candidates of one word instead.
 */
export const BIGRAM_FIELDS = ['title', 'snippet', 'tags', 'typekeywords', 'type'] as const;
const BIGRAMS = new Set<string>(BIGRAM_FIELDS);

/** The item fields the search index is built from. */
export interface IndexedItem {
  owner: string;
  title: string;
  snippet: string;
  description: string;
  type: string;
  tags: readonly string[];
  typeKeywords: readonly string[];
}

export interface ItemTerms {
  /** Distinct (field, term) pairs for item_terms. */
  rows: { field: string; term: string }[];
  /** items.search_text: " title:web title:map | tags:a " — exact phrase checks with LIKE. */
  searchText: string;
}

const MAX_TERMS_PER_FIELD = 1000;
const MAX_PHRASE_TOKENS_PER_FIELD = 2000;
const MAX_OWNER_TERM = 128;

/** Each field's values (tags and typeKeywords have several; a phrase never spans two). */
function fieldValues(item: IndexedItem): [TextField, string[]][] {
  return [
    ['title', [stripMarkup(item.title)]],
    ['snippet', [stripMarkup(item.snippet)]],
    ['description', [stripMarkup(item.description)]],
    ['tags', [...item.tags]],
    ['typekeywords', [...item.typeKeywords]],
    ['type', [item.type]],
  ];
}

/** Computes the index entries of one item. */
export function itemTerms(item: IndexedItem): ItemTerms {
  const rows: { field: string; term: string }[] = [];
  const any = new Set<string>();
  const parts: string[] = [' '];
  for (const [field, values] of fieldValues(item)) {
    const seen = new Set<string>();
    let phraseTokens = 0;
    for (const value of values) {
      const tokens = tokenize(value);
      const add = (t: string) => {
        if (seen.size < MAX_TERMS_PER_FIELD && !seen.has(t)) {
          seen.add(t);
          rows.push({ field, term: t });
        }
      };
      for (const t of tokens) {
        if (field !== 'description') add(t);
        if (any.size < MAX_ANY_TERMS) any.add(t);
      }
      if (BIGRAMS.has(field))
        for (let i = 0; i + 1 < tokens.length; i++) add(bigram(tokens[i]!, tokens[i + 1]!));
      if (tokens.length && phraseTokens < MAX_PHRASE_TOKENS_PER_FIELD) {
        const kept = tokens.slice(0, MAX_PHRASE_TOKENS_PER_FIELD - phraseTokens);
        phraseTokens += kept.length;
        parts.push(`${kept.map((t) => `${field}:${t}`).join(' ')} | `);
      }
    }
  }
  for (const t of any) rows.push({ field: ANY_FIELD, term: t });
  rows.push({ field: 'owner', term: ownerTerm(item.owner) });
  return { rows, searchText: parts.join('') };
}

/** Two adjacent words as one term (words never contain spaces). */
export function bigram(a: string, b: string): string {
  return `${a} ${b}`;
}

/** Owners are matched whole and without regard to case ("owner:Jane.Doe" finds jane.doe). */
export function ownerTerm(owner: string): string {
  return owner.toLowerCase().slice(0, MAX_OWNER_TERM);
}

/** The item columns the index keeps (an ItemRow has them all). */
export interface TermCopies {
  id: string;
  access: ItemsTable['access'];
  owner: string;
  modified: number;
  created: number;
  title_sort: string;
  extent_xmin: number | null;
  extent_ymin: number | null;
  extent_xmax: number | null;
  extent_ymax: number | null;
}

/** The field of group-share entries: term = group id. */
export const GROUP_FIELD = 'group';

/** An item's search_docs columns (all but doc). */
export function docRowOf(item: TermCopies): Omit<SearchDocsTable, 'doc'> {
  return {
    item_id: item.id,
    vis: visOf(item.access),
    owner: item.owner,
    modified: item.modified,
    created: item.created,
    title_sort: item.title_sort,
    extent_xmin: item.extent_xmin,
    extent_ymin: item.extent_ymin,
    extent_xmax: item.extent_xmax,
    extent_ymax: item.extent_ymax,
  };
}

/** The item_terms rows of one doc. */
export function postingRows(
  doc: number,
  d: Omit<SearchDocsTable, 'doc'>,
  terms: readonly { field: string; term: string }[],
): SearchTermsTable[] {
  return terms.map((r) => ({
    field: r.field,
    term: r.term,
    doc,
    vis: d.vis,
    owner: d.owner,
    modified: d.modified,
    created: d.created,
  }));
}

/** Writes (or replaces) an item's index entries; call inside the transaction that writes the item. */
export async function writeItemTerms(
  trx: Trx,
  item: TermCopies,
  terms: ItemTerms,
  replace: boolean,
): Promise<void> {
  const row = docRowOf(item);
  const all = [...terms.rows];
  let doc: number;
  if (replace) {
    const { item_id: _id, ...columns } = row;
    const r = await trx
      .updateTable('search_docs')
      .set(columns)
      .where('item_id', '=', item.id)
      .returning('doc')
      .executeTakeFirstOrThrow();
    doc = r.doc;
    await trx.deleteFrom('item_terms').where('doc', '=', doc).execute();
    const shares = await trx
      .selectFrom('item_shares')
      .select('group_id')
      .where('item_id', '=', item.id)
      .execute();
    for (const s of shares) all.push({ field: GROUP_FIELD, term: s.group_id });
  } else {
    doc = (await trx.insertInto('search_docs').values(row).returning('doc').executeTakeFirstOrThrow()).doc;
  }
  const rows = postingRows(doc, row, all);
  // 7 parameters a row; stay well under SQLite's and PostgreSQL's parameter limits.
  for (let i = 0; i < rows.length; i += 300)
    await trx
      .insertInto('item_terms')
      .values(rows.slice(i, i + 300))
      .execute();
}

/** Removes an item's index entries (before the item row goes). */
export async function deleteItemTerms(trx: Trx, itemId: string): Promise<void> {
  const docs = trx.selectFrom('search_docs').select('doc').where('item_id', '=', itemId);
  await trx.deleteFrom('item_terms').where('doc', 'in', docs).execute();
  await trx.deleteFrom('search_docs').where('item_id', '=', itemId).execute();
}

const VIS_CASE = sql<number>`(SELECT CASE items.access ${sql.join(
  Object.entries(VIS).map(([k, v]) => sql`WHEN ${sql.lit(k)} THEN ${sql.lit(v)}`),
  sql` `,
)} ELSE 0 END FROM items WHERE items.id = search_docs.item_id)`;

/**
 * After items.access or group shares changed: copy the access into the items' index entries
 * and rewrite their group-share entries from item_shares.
 */
export async function syncTermAccess(trx: Trx, itemIds: string[]): Promise<void> {
  for (let i = 0; i < itemIds.length; i += 500) {
    const ids = itemIds.slice(i, i + 500);
    if (!ids.length) continue;
    await trx.updateTable('search_docs').set({ vis: VIS_CASE }).where('item_id', 'in', ids).execute();
    const docs = trx.selectFrom('search_docs').select('doc').where('item_id', 'in', ids);
    await trx
      .updateTable('item_terms')
      .set({ vis: sql<number>`(SELECT d.vis FROM search_docs d WHERE d.doc = item_terms.doc)` })
      .where('doc', 'in', docs)
      .execute();
    await trx.deleteFrom('item_terms').where('field', '=', GROUP_FIELD).where('doc', 'in', docs).execute();
    await trx
      .insertInto('item_terms')
      .columns(['field', 'term', 'doc', 'vis', 'owner', 'modified', 'created'])
      .expression(
        trx
          .selectFrom('item_shares as s')
          .innerJoin('search_docs as d', 'd.item_id', 's.item_id')
          .select([
            sql.lit(GROUP_FIELD).as('field'),
            's.group_id',
            'd.doc',
            'd.vis',
            'd.owner',
            'd.modified',
            'd.created',
          ])
          .where('s.item_id', 'in', ids),
      )
      .execute();
  }
}
