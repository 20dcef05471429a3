/**
 * The index key of an item (`doc`, the FTS5 rowid on SQLite): its modified time in
 * milliseconds times 1024, plus a sequence number for items modified in the same millisecond.
 * Key order is therefore "most recently modified" order, the default sort of search, and
 * SQLite's full-text engine returns matches in that order and stops at the page. An update
 * gives the item a new key (its modified time changed). Keys stay below 2^53 (JavaScript
 * numbers, PostgreSQL bigint read as a number) until the year 2248.
 */
export const DOC_SEQ = 1024;
const MAX_MS = 2 ** 43 - 1;

/** The first key of a modified time's millisecond. */
export function docBase(modified: number): number {
  const ms = Math.min(Math.max(Math.trunc(modified), 0), MAX_MS);
  return ms * DOC_SEQ;
}

/** Whether `doc` belongs to the millisecond of `modified`. */
export function docOfTime(doc: number, modified: number): boolean {
  const base = docBase(modified);
  return doc >= base && doc < base + DOC_SEQ;
}
