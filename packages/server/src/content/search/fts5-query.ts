import { ACL } from './acl-tokens.ts';
import type { TextQuery } from './condition.ts';
import { TEXT_FIELDS } from './document.ts';

/**
 * A text query as an FTS5 query string for search_fts (sqlite-index.ts). Every word and token
 * is quoted (words are letters and digits, tokens [a-z0-9]: no quote inside), every operator
 * explicit and parenthesised, and every phrase restricted to its columns, so nothing from q
 * is read as FTS5 syntax. FTS5's NOT needs a left side: a NOT without one gets 'acl : e' (the
 * token of every item).
 */
const FREE_TEXT = `{${TEXT_FIELDS.join(' ')}}`;
const EVERYTHING = `acl : "${ACL.everything}"`;

function quoted(tokens: readonly string[], prefix: boolean): string {
  return `"${tokens.join(' ')}"${prefix ? ' *' : ''}`;
}

export function fts5Query(q: TextQuery): string {
  switch (q.kind) {
    case 'words':
      return `${q.field ?? FREE_TEXT} : ${quoted(q.tokens, q.prefix)}`;
    case 'acl':
      return `acl : ${quoted([q.token], q.prefix)}`;
    case 'or':
      return `(${q.items.map(fts5Query).join(' OR ')})`;
    case 'not':
      return `(${EVERYTHING} NOT ${fts5Query(q.item)})`;
    case 'and': {
      const positive = q.items.filter((x) => x.kind !== 'not');
      const negative = q.items.filter((x): x is Extract<TextQuery, { kind: 'not' }> => x.kind === 'not');
      let out = positive.length ? `(${positive.map(fts5Query).join(' AND ')})` : EVERYTHING;
      for (const n of negative) out = `(${out} NOT ${fts5Query(n.item)})`;
      return out;
    }
  }
}
