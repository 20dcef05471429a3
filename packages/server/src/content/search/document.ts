import type { Access } from '../tables.ts';
import { aclTokens } from './acl-tokens.ts';
import { stripMarkup, tokenize } from './tokenize.ts';

/**
 * What the search index holds for one item, the same for both databases: each text field as
 * a sequence of word slots (tokenize.ts), and the access tokens (acl-tokens.ts). A slot is a
 * word or GAP. A GAP separates two values of a field (two tags) and two fields, so that a
 * phrase never spans them; it also takes the place of a word the caps below leave out, so
 * that the words around it are not adjacent. The SQLite index (FTS5) and the PostgreSQL one
 * (tsvector) are both written from this, hence they find the same items.
 */
export const TEXT_FIELDS = ['title', 'snippet', 'description', 'tags', 'typekeywords', 'type'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

/**
 * Fields whose adjacent word pairs are indexed per field (pg-index.ts, sqlite-index.ts), so
 * that a two-word phrase in them is one lookup. Pairs of any field are indexed too (free text);
 * a description's phrases are checked among the items of its bare pairs.
 */
export const PAIRED_FIELDS: ReadonlySet<TextField> = new Set([
  'title',
  'snippet',
  'tags',
  'typekeywords',
  'type',
]);

export const GAP = null;
export type Slot = string | typeof GAP;

/** The item fields the search index is built from. */
export interface IndexedItem {
  owner: string;
  access: Access;
  title: string;
  snippet: string;
  description: string;
  type: string;
  tags: readonly string[];
  typeKeywords: readonly string[];
  /** Ids of the groups the item is shared with. */
  groups: readonly string[];
}

export interface SearchDocument {
  /** Per field: its slots, values separated by GAP. */
  text: Record<TextField, Slot[]>;
  acl: string[];
}

/** Words indexed per field (a long description is indexed up to here). */
export const MAX_FIELD_WORDS = 2000;
/**
 * Slots of a whole document, gaps included: PostgreSQL keeps positions up to 16,383, and each
 * slot is one position.
 */
export const MAX_DOCUMENT_SLOTS = 16_000;
/** Occurrences of one word in a document: PostgreSQL keeps 256 positions per lexeme. */
export const MAX_WORD_OCCURRENCES = 255;

/** Each field's values (tags and typeKeywords have several; a phrase never spans two). */
function fieldValues(item: IndexedItem): [TextField, readonly string[]][] {
  return [
    ['title', [stripMarkup(item.title)]],
    ['snippet', [stripMarkup(item.snippet)]],
    ['description', [stripMarkup(item.description)]],
    ['tags', item.tags],
    ['typekeywords', item.typeKeywords],
    ['type', [item.type]],
  ];
}

/** The search document of one item. */
export function searchDocument(item: IndexedItem): SearchDocument {
  const text = {} as Record<TextField, Slot[]>;
  const occurrences = new Map<string, number>();
  let slots = 0;
  for (const [field, values] of fieldValues(item)) {
    const out: Slot[] = [];
    let words = 0;
    for (const value of values) {
      if (words >= MAX_FIELD_WORDS || slots >= MAX_DOCUMENT_SLOTS) break;
      const tokens = tokenize(value);
      if (!tokens.length) continue;
      if (out.length) {
        out.push(GAP);
        slots++;
      }
      for (const t of tokens) {
        if (words >= MAX_FIELD_WORDS || slots >= MAX_DOCUMENT_SLOTS) break;
        const seen = occurrences.get(t) ?? 0;
        out.push(seen < MAX_WORD_OCCURRENCES ? t : GAP);
        if (seen < MAX_WORD_OCCURRENCES) occurrences.set(t, seen + 1);
        words++;
        slots++;
      }
    }
    text[field] = out;
    // The gap between this field and the next.
    slots++;
  }
  return { text, acl: aclTokens(item) };
}
