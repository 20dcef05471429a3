/**
 * The right answers to the benchmarks' searches, worked out from the seeded items themselves
 * (not from the portal's index), so that a benchmark knows when a search answers wrongly.
 * Semantics follow DESIGN.md "Search": a free word matches title, snippet, description, tags,
 * type keywords or type; `field:"a b"` is a phrase within one value of that field.
 */
import type { SeededItem } from './fixtures/items.ts';

/** Lower-case words of a seeded text (plain ASCII, descriptions wrapped in <p>). */
export function words(text: string): string[] {
  return text
    .replace(/<[^>]*>/g, ' ')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether one of `values` holds the words of `phrase` next to each other. */
export function hasPhrase(values: readonly string[], phrase: string): boolean {
  const want = words(phrase);
  return values.some((v) => {
    const w = words(v);
    for (let i = 0; i + want.length <= w.length; i++) if (want.every((x, j) => w[i + j] === x)) return true;
    return false;
  });
}

/** The values a free word (no field:) is looked up in. */
export function freeText(it: SeededItem): string[] {
  return [it.title, it.snippet, it.description, ...it.tags, ...it.typeKeywords, it.type];
}

export type Visibility = Pick<SeededItem, 'owner' | 'access' | 'sharedWith'>;

/** Who searches: an administrator, a signed-in user in some groups, or anonymous (null). */
export type OracleViewer =
  | { admin: true }
  | { admin: false; username: string | null; groups: ReadonlySet<string> };

export function visibleTo(viewer: OracleViewer, it: Visibility): boolean {
  if (viewer.admin) return true;
  if (it.access === 'public') return true;
  if (viewer.username === null) return false;
  if (it.access === 'org' || it.owner === viewer.username) return true;
  return it.access === 'shared' && it.sharedWith.some((g) => viewer.groups.has(g));
}

/**
 * Collects, during seeding, the items each query must find; then answers how many a viewer
 * must see and whether an item id belongs to the answer.
 */
export class ExpectedAnswers {
  readonly #matches = new Map<string, Map<string, Visibility>>();
  readonly #predicates: [string, (it: SeededItem) => boolean][];

  constructor(queries: [string, (it: SeededItem) => boolean][]) {
    this.#predicates = queries;
    for (const [q] of queries) this.#matches.set(q, new Map());
  }

  /** Pass to seedItems as `onItem`. */
  readonly record = (it: SeededItem): void => {
    for (const [q, matches] of this.#predicates)
      if (matches(it))
        this.#matches.get(q)!.set(it.id, { owner: it.owner, access: it.access, sharedWith: it.sharedWith });
  };

  /** How many items the viewer must find; `keep` narrows the answer further (group:<id>). */
  total(q: string, viewer: OracleViewer, keep: (v: Visibility) => boolean = () => true): number {
    let n = 0;
    for (const v of this.#of(q).values()) if (visibleTo(viewer, v) && keep(v)) n++;
    return n;
  }

  /** Whether `id` is an item the query must find for the viewer. */
  finds(q: string, viewer: OracleViewer, id: string, keep: (v: Visibility) => boolean = () => true): boolean {
    const v = this.#of(q).get(id);
    return v !== undefined && visibleTo(viewer, v) && keep(v);
  }

  #of(q: string): Map<string, Visibility> {
    const m = this.#matches.get(q);
    if (!m) throw new Error(`no expected answer was collected for the query ${q}`);
    return m;
  }
}
