import { ACL } from './acl-tokens.ts';
import type { TextQuery } from './condition.ts';
import { PAIRED_FIELDS } from './document.ts';
import { ACL_PREFIX, FIELD_PREFIX, pairLexeme, quoteLexeme } from './pg-index.ts';

/**
 * A text query as tsquery text for search_docs.tsv (pg-index.ts): lexemes quoted (taken as
 * they are, never normalised), a phrase as `'a' <-> 'b'` (in a field with word pairs, its
 * pairs), a prefix as `'wat':*`. A NOT gets a
 * positive lexeme beside it ('_e', every item), so that GIN never has to scan the whole index
 * for a query of exclusions.
 */
const EVERYTHING = quoteLexeme(ACL_PREFIX + ACL.everything);

function lexeme(text: string, prefix: boolean): string {
  return `${quoteLexeme(text)}${prefix ? ':*' : ''}`;
}

export function tsQuery(q: TextQuery): string {
  switch (q.kind) {
    case 'words': {
      const p = q.field ? FIELD_PREFIX[q.field] : '';
      const last = q.tokens.length - 1;
      const parts = q.tokens.map((t, i) => lexeme(p + t, q.prefix && i === last));
      if (parts.length === 1) return parts[0]!;
      // Several words: their pairs are lexemes. Bare pairs, and a field's own where it has them,
      // are exact for two words; otherwise the phrase is checked on the items that have them.
      const own = q.field === null || PAIRED_FIELDS.has(q.field);
      const pairField = own ? q.field : null;
      const pairs = [
        ...new Set(q.tokens.slice(1).map((t, i) => quoteLexeme(pairLexeme(pairField, q.tokens[i]!, t)))),
      ];
      if (own && q.tokens.length === 2) return pairs[0]!;
      return `(${[...pairs, `(${parts.join(' <-> ')})`].join(' & ')})`;
    }
    case 'acl':
      return lexeme(ACL_PREFIX + q.token, q.prefix);
    case 'or':
      return `(${q.items.map(tsQuery).join(' | ')})`;
    case 'not':
      return `(${EVERYTHING} & !${tsQuery(q.item)})`;
    case 'and': {
      const positive = q.items.filter((x) => x.kind !== 'not');
      const negative = q.items.filter((x): x is Extract<TextQuery, { kind: 'not' }> => x.kind === 'not');
      const parts = [
        ...(positive.length ? positive.map(tsQuery) : [EVERYTHING]),
        ...negative.map((n) => `!${tsQuery(n.item)}`),
      ];
      return parts.length === 1 ? parts[0]! : `(${parts.join(' & ')})`;
    }
  }
}
