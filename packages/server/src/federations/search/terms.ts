/**
 * The search terms of an identity provider, for the discovery chooser's search as you type:
 * every word of its display names (every language), its scopes and domain hints (whole, and
 * each label), its entity ID's host (whole). As few rows as serve the chooser: the terms are
 * written with every generation, inside the ingest's time. Terms are folded
 * (NFKD, marks removed, lower case) so that "zurich" finds "Zürich"; a query matches an IdP
 * when each of its words is the beginning of one of the IdP's terms.
 */
import type { IdpRecord } from '../ingest/idp-record.ts';

/** Longest term kept (the column's length); longer words are cut. */
export const MAX_TERM = 100;

export function fold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a text: runs of letters and digits (any script). */
export function words(s: string): string[] {
  return fold(s).match(/[\p{L}\p{N}]+/gu) ?? [];
}

function host(entityId: string): string | undefined {
  try {
    return new URL(entityId).hostname || undefined;
  } catch {
    return undefined;
  }
}

export function idpTerms(rec: IdpRecord): string[] {
  const out = new Set<string>();
  const add = (t: string) => {
    const v = t.slice(0, MAX_TERM);
    if (v) out.add(v);
  };
  for (const name of Object.values(rec.displayNames)) for (const w of words(name)) add(w);
  for (const d of [...rec.domainHints, ...rec.scopes.filter((s) => !s.regexp).map((s) => s.value)]) {
    add(fold(d));
    for (const w of words(d)) add(w);
  }
  const h = host(rec.entityId);
  if (h) add(h);
  return [...out];
}

/** The words of a query, folded; at most 6 (more narrow nothing useful). */
export function queryWords(q: string): string[] {
  return [...new Set(words(q))].slice(0, 6).map((w) => w.slice(0, MAX_TERM));
}
