import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../kernel/db/database.ts';
import { BadRequest } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { UserRow } from './users-store.ts';

export interface UserSearch {
  q?: string;
  start?: number;
  num?: number;
  sortField?: string;
  sortOrder?: string;
  /** Administrators may search and sort by email; others may not (it would reveal addresses). */
  admin: boolean;
}

export interface UserSearchResult {
  total: number;
  start: number;
  num: number;
  nextStart: number;
  results: UserRow[];
}

const FIELDS: Record<string, { column: string; exact: boolean; admin?: boolean }> = {
  username: { column: 'username_lower', exact: true },
  role: { column: 'role', exact: true },
  provider: { column: 'provider', exact: true },
  fullname: { column: 'full_name', exact: false },
  firstname: { column: 'first_name', exact: false },
  lastname: { column: 'last_name', exact: false },
  email: { column: 'email', exact: false, admin: true },
};

const SORTS: Record<string, { column: string; admin?: boolean }> = {
  username: { column: 'username_lower' },
  fullname: { column: 'full_name' },
  firstname: { column: 'first_name' },
  lastname: { column: 'last_name' },
  role: { column: 'role' },
  created: { column: 'created' },
  modified: { column: 'modified' },
  lastlogin: { column: 'last_login', admin: true },
  email: { column: 'email', admin: true },
};

interface Term {
  field?: string;
  value: string;
}

/** `q` as clients write it: `free text`, `field:value`, `field: value`, "quoted phrases"; AND/OR/NOT words are ignored and every term must match. */
export function parseUserQuery(q: string): Term[] {
  const terms: Term[] = [];
  const re = /([A-Za-z]+)\s*:\s*(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)/g;
  for (const m of q.matchAll(re)) {
    if (m[1]) terms.push({ field: m[1].toLowerCase(), value: m[2] ?? m[3] ?? '' });
    else {
      const value = m[4] ?? m[5] ?? '';
      if (['AND', 'OR', 'NOT', '*', '&&', '||'].includes(value)) continue;
      terms.push({ value });
    }
  }
  return terms.filter((t) => t.value !== '' && t.value !== '*');
}

function likePattern(value: string, contains: boolean): string {
  const escaped = value
    .toLowerCase()
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replace(/\*/g, '%');
  return contains && !value.includes('*') ? `%${escaped}%` : escaped;
}

function like(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

function termFilter(t: Term, admin: boolean): Expression<SqlBool> {
  if (t.field) {
    const f = FIELDS[t.field];
    if (!f || (f.admin && !admin))
      throw new MeridianError(
        BadRequest,
        `Unknown search field '${t.field}': use ${Object.entries(FIELDS)
          .filter(([, d]) => admin || !d.admin)
          .map(([k]) => k)
          .join(', ')}.`,
      );
    return like(f.column, likePattern(t.value, !f.exact));
  }
  const pattern = likePattern(t.value, true);
  const columns = ['username_lower', 'full_name', ...(admin ? ['email'] : [])];
  return sql<SqlBool>`(${sql.join(
    columns.map((c) => like(c, pattern)),
    sql` or `,
  )})`;
}

/** Searches the organisation's users; `start` is 1-based, `num` at most 100, `nextStart` -1 on the last page. */
export async function searchUsers(db: Db, s: UserSearch): Promise<UserSearchResult> {
  const start = Math.max(1, Math.floor(s.start ?? 1));
  const num = Math.min(100, Math.max(0, Math.floor(s.num ?? 10)));
  const terms = parseUserQuery(s.q ?? '');
  const sortKey = (s.sortField ?? 'username').toLowerCase();
  const sort = SORTS[sortKey];
  if (!sort || (sort.admin && !s.admin))
    throw new MeridianError(
      BadRequest,
      `Cannot sort users by '${s.sortField}': use ${Object.entries(SORTS)
        .filter(([, d]) => s.admin || !d.admin)
        .map(([k]) => k)
        .join(', ')}.`,
    );
  const order = (s.sortOrder ?? 'asc').toLowerCase() === 'desc' ? 'desc' : 'asc';
  let base = db.kysely.selectFrom('users');
  for (const t of terms) {
    const filter = termFilter(t, s.admin);
    base = base.where(() => filter);
  }
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const total = Number(count.n);
  const results =
    num === 0
      ? []
      : await base
          .selectAll()
          .orderBy(sql.ref(sort.column), order)
          .orderBy('username_lower', order)
          .limit(num)
          .offset(start - 1)
          .execute();
  const next = start + num;
  return { total, start, num, nextStart: next <= total && num > 0 ? next : -1, results };
}
