/** Longest term kept in the index; longer words are cut (the same way at index and query time). */
export const MAX_TERM_LENGTH = 64;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Text of an HTML fragment for indexing only (what is stored and returned is untouched). */
export function stripMarkup(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? ' ');
}

/**
 * Splits text into lower-case search terms: runs of letters and digits, accents folded
 * (é → e), so that "Web-Map" gives ["web", "map"]. Index and query use this one function,
 * in JavaScript, so both databases see identical terms.
 */
export function tokenize(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const out: string[] = [];
  for (const word of folded.split(/[^\p{L}\p{N}]+/u)) {
    if (word) out.push(word.length > MAX_TERM_LENGTH ? word.slice(0, MAX_TERM_LENGTH) : word);
  }
  return out;
}
