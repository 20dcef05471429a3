import { GAP, PAIRED_FIELDS, type SearchDocument, TEXT_FIELDS, type TextField } from './document.ts';

/**
 * The PostgreSQL side of the index: search_docs.tsv, a tsvector written as text (never parsed
 * by a text search configuration, so it holds exactly the words tokenize.ts made), with a GIN
 * index. Each word is a lexeme twice at its position: bare (free text) and with its field's
 * prefix ('_t:water' in a title), so that both `water` and `title:water`, and phrases of
 * either, are index lookups. Access tokens are lexemes starting with '_' (no word does).
 * Positions run over the whole document; a GAP takes a position, so phrases never span it.
 *
 * Each pair of adjacent words is a lexeme too: bare ('storm surge', from any field) and, in the
 * short fields, with the field's prefix ('_p:web map'). A two-word phrase (type:"Web Map", the
 * most common filter of ArcGIS clients) is then one index lookup, exact: a phrase operator
 * makes PostgreSQL check the tsvector of every candidate, which costs more than the search.
 */
export const FIELD_PREFIX: Record<TextField, string> = {
  title: '_t:',
  snippet: '_s:',
  description: '_d:',
  tags: '_k:',
  typekeywords: '_y:',
  type: '_p:',
};
export const ACL_PREFIX = '_';

/** The lexeme of two adjacent words (words never contain a space), of one field or of any. */
export function pairLexeme(field: TextField | null, a: string, b: string): string {
  return `${field ? FIELD_PREFIX[field] : ''}${a} ${b}`;
}

/**
 * Every row's tsvector carries this lexeme, which no query asks for. It makes the row longer
 * than the 2 kB past which PostgreSQL stores large values outside the row: with the table's
 * toast_tuple_target (migration-fts.ts), the tsvector then always lives in the TOAST table,
 * compressed, and search_docs rows stay under 200 bytes. Counting matches visits one row per
 * match: narrow rows make that several times cheaper. The pad compresses to a few bytes.
 */
export const ROW_PAD_LEXEME = `_${'z'.repeat(2000)}`;

/** A lexeme quoted for tsvector and tsquery input. */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** The tsvector text of a document. */
export function tsvectorText(document: SearchDocument): string {
  const positions = new Map<string, number[]>();
  const at = (lexeme: string, pos: number) => {
    const list = positions.get(lexeme);
    if (list) list.push(pos);
    else positions.set(lexeme, [pos]);
  };
  const pairs = new Set<string>();
  let pos = 0;
  for (const field of TEXT_FIELDS) {
    const slots = document.text[field];
    for (const [i, slot] of slots.entries()) {
      pos++;
      if (slot === GAP) continue;
      at(slot, pos);
      at(FIELD_PREFIX[field] + slot, pos);
      const next = slots[i + 1];
      if (!next) continue;
      pairs.add(pairLexeme(null, slot, next));
      if (PAIRED_FIELDS.has(field)) pairs.add(pairLexeme(field, slot, next));
    }
    // The gap between two fields.
    pos++;
  }
  const parts = [...positions].map(([lexeme, list]) => `${quoteLexeme(lexeme)}:${list.join(',')}`);
  for (const pair of pairs) parts.push(quoteLexeme(pair));
  for (const token of new Set(document.acl)) parts.push(quoteLexeme(ACL_PREFIX + token));
  parts.push(quoteLexeme(ROW_PAD_LEXEME));
  return parts.join(' ');
}
