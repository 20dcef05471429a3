import { ACL } from './acl-tokens.ts';
import type { TextQuery } from './condition.ts';
import { PAIRED_FIELDS, TEXT_FIELDS } from './document.ts';
import { pairToken } from './sqlite-index.ts';

/**
 * A text query as an FTS5 query string for the FTS5 tables (sqlite-index.ts). Every word and
 * token is quoted (words are letters and digits, tokens [a-z0-9] and '·': no quote inside),
 * every operator explicit and parenthesised, and every phrase restricted to its columns, so
 * nothing from q is read as FTS5 syntax. Several words are looked up by their pairs (one pair:
 * exact; more: every pair, and the phrase). FTS5's NOT needs a left side: a NOT without one
 * gets 'acl : e' (the token of every item).
 */
const FREE_TEXT = `{${TEXT_FIELDS.join(' ')}}`;
const EVERYTHING = `acl : "${ACL.everything}"`;

function quoted(tokens: readonly string[], prefix: boolean): string {
  return `"${tokens.join(' ')}"${prefix ? ' *' : ''}`;
}

function words(q: Extract<TextQuery, { kind: 'words' }>): string {
  const phrase = `${q.field ?? FREE_TEXT} : ${quoted(q.tokens, q.prefix)}`;
  if (q.tokens.length === 1) return phrase;
  const own = q.field === null || PAIRED_FIELDS.has(q.field);
  const pairField = own ? q.field : null;
  const pairs = [
    ...new Set(
      q.tokens.slice(1).map((t, i) => `pairs : ${quoted([pairToken(pairField, q.tokens[i]!, t)], false)}`),
    ),
  ];
  if (own && q.tokens.length === 2) return pairs[0]!;
  return `(${[...pairs, phrase].join(' AND ')})`;
}

export function fts5Query(q: TextQuery): string {
  switch (q.kind) {
    case 'words':
      return words(q);
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
