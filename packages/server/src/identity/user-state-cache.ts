import type { Kernel } from '../kernel/kernel.ts';
import type { Role } from './tables.ts';
import { USER_CHANGED } from './topics.ts';

/** What token verification needs to know about a user, kept in memory. */
export interface UserState {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  epoch: number;
}

/**
 * Entries are dropped at once by the 'identity.user' bus event, which every user change
 * publishes and which reaches every node on PostgreSQL. The `meridian users` CLI, however,
 * changes the database from another process where no bus reaches this one on SQLite, so
 * entries also expire after TTL_MS: a revocation made with the CLI takes effect within that
 * time, at the cost of one indexed read per active user every TTL_MS.
 */
export const USER_STATE_TTL_MS = 5000;

interface Entry {
  state: UserState | undefined;
  loadedAt: number;
  pending?: Promise<UserState | undefined>;
}

export class UserStateCache {
  readonly #ctx: Pick<Kernel, 'db'>;
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(ctx: Pick<Kernel, 'db' | 'bus'>, now: () => number = Date.now) {
    this.#ctx = ctx;
    this.#now = now;
    ctx.bus.on(USER_CHANGED, (e) => {
      if (typeof e.data.id === 'string') this.#entries.delete(e.data.id);
      else this.#entries.clear();
    });
  }

  async get(id: string): Promise<UserState | undefined> {
    const hit = this.#entries.get(id);
    if (hit?.pending) return hit.pending;
    if (hit && this.#now() - hit.loadedAt < USER_STATE_TTL_MS) return hit.state;
    const entry: Entry = { state: undefined, loadedAt: this.#now() };
    entry.pending = this.#load(id).then(
      (state) => {
        entry.state = state;
        entry.pending = undefined;
        return state;
      },
      (err) => {
        this.#entries.delete(id);
        throw err;
      },
    );
    this.#entries.set(id, entry);
    if (this.#entries.size > 50_000) this.#evictOldest();
    return entry.pending;
  }

  invalidate(id: string): void {
    this.#entries.delete(id);
  }

  async #load(id: string): Promise<UserState | undefined> {
    const row = await this.#ctx.db.kysely
      .selectFrom('users')
      .select(['id', 'username', 'role', 'disabled', 'token_epoch'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      username: row.username,
      role: row.role,
      disabled: Number(row.disabled) !== 0,
      epoch: Number(row.token_epoch),
    };
  }

  #evictOldest(): void {
    const drop = Math.floor(this.#entries.size / 2);
    let i = 0;
    for (const key of this.#entries.keys()) {
      if (i++ >= drop) break;
      this.#entries.delete(key);
    }
  }
}
