import { GAP, type SearchDocument, TEXT_FIELDS, type TextField } from './document.ts';

/**
 * The PostgreSQL side of the index: search_docs.tsv, a tsvector written as text (never parsed
 * by a text search configuration, so it holds exactly the words tokenize.ts made), with a GIN
 * index. Each word is a lexeme twice at its position: bare (free text) and with its field's
 * prefix ('_t:water' in a title), so that both `water` and `title:water`, and phrases of
 * either, are index lookups. Access tokens are lexemes starting with '_' (no word does).
 * Positions run over the whole document; a GAP takes a position, so phrases never span it.
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
  let pos = 0;
  for (const field of TEXT_FIELDS) {
    for (const slot of document.text[field]) {
      pos++;
      if (slot === GAP) continue;
      at(slot, pos);
      at(FIELD_PREFIX[field] + slot, pos);
    }
    // The gap between two fields.
    pos++;
  }
  const parts = [...positions].map(([lexeme, list]) => `${quoteLexeme(lexeme)}:${list.join(',')}`);
  for (const token of new Set(document.acl)) parts.push(quoteLexeme(ACL_PREFIX + token));
  return parts.join(' ');
}
