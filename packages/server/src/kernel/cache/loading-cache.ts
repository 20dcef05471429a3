/**
 * Values loaded on first use and kept for `ttlMs`, for what nearly every request reads (a
 * user's row, their groups). Concurrent first reads share one load; a failed load is not kept.
 * Its owner drops entries when the change bus says the data changed (at once, on every node on
 * PostgreSQL); the TTL bounds what the bus cannot see (a CLI process writing SQLite). Past `max`
 * entries the older half goes.
 */
export class LoadingCache<K, V> {
  readonly #entries = new Map<K, { value?: V; loadedAt: number; pending?: Promise<V> }>();
  readonly #load: (key: K) => Promise<V>;
  readonly #ttlMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: { load: (key: K) => Promise<V>; ttlMs: number; max?: number; now?: () => number }) {
    this.#load = opts.load;
    this.#ttlMs = opts.ttlMs;
    this.#max = opts.max ?? 50_000;
    this.#now = opts.now ?? Date.now;
  }

  get(key: K): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit?.pending) return hit.pending;
    if (hit && this.#now() - hit.loadedAt < this.#ttlMs) return Promise.resolve(hit.value as V);
    const entry: { value?: V; loadedAt: number; pending?: Promise<V> } = { loadedAt: this.#now() };
    entry.pending = this.#load(key).then(
      (value) => {
        entry.value = value;
        entry.pending = undefined;
        return value;
      },
      (err) => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
        throw err;
      },
    );
    this.#entries.set(key, entry);
    if (this.#entries.size > this.#max) this.#evictOlderHalf();
    return entry.pending;
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  #evictOlderHalf(): void {
    let drop = Math.floor(this.#entries.size / 2);
    for (const key of this.#entries.keys()) {
      if (drop-- <= 0) break;
      this.#entries.delete(key);
    }
  }
}
