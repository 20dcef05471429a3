import { LoadingCache } from '../kernel/cache/loading-cache.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { Role } from './tables.ts';
import { USER_CHANGED } from './topics.ts';
import type { UserRow } from './users-store.ts';

/** What token verification needs to know about a user, kept in memory. */
export interface UserState {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  epoch: number;
}

/**
 * Users' rows by id, kept in memory for what every request asks: token verification (the
 * state above) and community/self (the row). Entries are dropped at once by the
 * 'identity.user' bus event, which every user change publishes and which reaches every node on
 * PostgreSQL. The `meridian users` CLI, however,
 * changes the database from another process where no bus reaches this one on SQLite, so
 * entries also expire after TTL_MS: a revocation made with the CLI takes effect within that
 * time, at the cost of one indexed read per active user every TTL_MS.
 */
export const USER_STATE_TTL_MS = 5000;

/** A user's row without the password hash, which no cache holds. */
export type CachedUserRow = Omit<UserRow, 'password_hash'>;

interface Loaded {
  row: CachedUserRow;
  state: UserState;
}

export class UserStateCache {
  readonly #ctx: Pick<Kernel, 'db'>;
  readonly #users: LoadingCache<string, Loaded | undefined>;

  constructor(ctx: Pick<Kernel, 'db' | 'bus'>, now: () => number = Date.now) {
    this.#ctx = ctx;
    this.#users = new LoadingCache({ load: (id) => this.#load(id), ttlMs: USER_STATE_TTL_MS, now });
    ctx.bus.watch(USER_CHANGED, (e) => {
      if (typeof e?.data.id === 'string') this.#users.delete(e.data.id);
      else this.#users.clear();
    });
  }

  /** What token verification needs: role, token epoch, disabled flag. */
  async get(id: string): Promise<UserState | undefined> {
    return (await this.#users.get(id))?.state;
  }

  /** The user's row as stored, at most USER_STATE_TTL_MS old (changes through the API drop it at once). */
  async row(id: string): Promise<CachedUserRow | undefined> {
    return (await this.#users.get(id))?.row;
  }

  async #load(id: string): Promise<Loaded | undefined> {
    const found = await this.#ctx.db.kysely
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!found) return undefined;
    const { password_hash: _secret, ...row } = found;
    const state: UserState = {
      id: row.id,
      username: row.username,
      role: row.role,
      disabled: Number(row.disabled) !== 0,
      epoch: Number(row.token_epoch),
    };
    return { row: Object.freeze(row), state: Object.freeze(state) };
  }
}
