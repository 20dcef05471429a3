import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import type { ContentDeps } from '../items.ts';
import { parseQuery, type QueryNode } from '../search/parse-query.ts';
import { MAX_NUM, MAX_START } from '../search/search-items.ts';
import { tokenize } from '../search/tokenize.ts';
import type { Viewer } from '../viewer.ts';
import type { MemberType } from './group-access.ts';
import { groupJson } from './group-json.ts';

/**
 * community/groups?q=: the same query syntax as item search, over the (small) groups table.
 * Text terms match words inside lower-cased columns; values are bound parameters.
 */
const TEXT_COLUMNS: Record<string, string> = {
  title: 'title',
  description: 'description',
  snippet: 'snippet',
  tags: 'tags',
  owner: 'owner',
};
const FREE_TEXT = ['title', 'description', 'snippet', 'tags', 'owner'];

function fail(message: string): never {
  throw new MeridianError(InvalidSearch, `Invalid search query q: ${message}`);
}

function contains(columns: string[], value: string): RawBuilder<SqlBool> {
  const tokens = tokenize(value);
  if (!tokens.length) fail(`'${value.slice(0, 60)}' has no letters or digits to search for.`);
  const perToken = tokens.map((t) => {
    const checks = columns.map((c) => sql`lower(${sql.ref(`groups.${c}`)}) LIKE ${`%${t}%`}`);
    return sql`(${sql.join(checks, sql` OR `)})`;
  });
  return sql<SqlBool>`(${sql.join(perToken, sql` AND `)})`;
}

function toSql(node: QueryNode, orgId: string): RawBuilder<SqlBool> {
  switch (node.kind) {
    case 'all':
      return sql<SqlBool>`1 = 1`;
    case 'not':
      return sql<SqlBool>`NOT (${toSql(node.item, orgId)})`;
    case 'and':
    case 'or':
      return sql<SqlBool>`(${sql.join(
        node.items.map((n) => toSql(n, orgId)),
        node.kind === 'and' ? sql` AND ` : sql` OR `,
      )})`;
    case 'range':
      fail(`ranges are not supported in group search.`);
      break;
    case 'term': {
      const f = node.field;
      if (f === null) return contains(FREE_TEXT, node.value);
      if (TEXT_COLUMNS[f]) return contains([TEXT_COLUMNS[f]!], node.value);
      if (f === 'id') return sql<SqlBool>`groups.id = ${node.value}`;
      if (f === 'access') return sql<SqlBool>`groups.access = ${node.value.toLowerCase()}`;
      if (f === 'orgid')
        return node.value.toLowerCase() === orgId.toLowerCase() ? sql<SqlBool>`1 = 1` : sql<SqlBool>`1 = 0`;
      fail(
        `unknown field '${f}:' for groups. Fields: id, title, owner, tags, description, snippet, access, orgid.`,
      );
    }
  }
}

function visibility(viewer: Viewer): RawBuilder<SqlBool> | undefined {
  if (viewer.isAdmin) return undefined;
  if (!viewer.username) return sql<SqlBool>`groups.access = 'public'`;
  return sql<SqlBool>`(groups.access IN ('public', 'org') OR groups.id IN (SELECT group_id FROM group_members WHERE username = ${viewer.username}))`;
}

const SORTS: Record<string, string> = {
  title: 'title',
  owner: 'owner',
  created: 'created',
  modified: 'modified',
};

export async function searchGroups(
  deps: ContentDeps,
  viewer: Viewer,
  params: { q?: string; start?: number; num?: number; sortField?: string; sortOrder?: string },
): Promise<Record<string, unknown>> {
  const start = params.start ?? 1;
  const num = params.num ?? 10;
  if (start < 1 || start > MAX_START || num < 0 || num > MAX_NUM)
    throw new MeridianError(
      InvalidSearch,
      `start is 1-based (at most ${MAX_START}); num is 0 to ${MAX_NUM}.`,
    );
  const orgId = await deps.orgId();
  const parts = [toSql(parseQuery(params.q ?? ''), orgId)];
  const vis = visibility(viewer);
  if (vis) parts.push(vis);
  const where = sql<SqlBool>`${sql.join(parts, sql` AND `)}`;
  const sortCol = SORTS[(params.sortField ?? 'title').toLowerCase()];
  if (!sortCol)
    throw new MeridianError(InvalidSearch, `Invalid sortField: use ${Object.keys(SORTS).join(', ')}.`);
  const dir = params.sortOrder?.toLowerCase() === 'desc' ? 'desc' : 'asc';
  const { n } = await deps.db
    .selectFrom('groups')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where(where)
    .executeTakeFirstOrThrow();
  const total = Number(n);
  const order = sortCol === 'title' ? sql`lower(groups.title)` : sql.ref(`groups.${sortCol}`);
  const rows = await deps.db
    .selectFrom('groups')
    .selectAll()
    .where(where)
    .orderBy(order, dir)
    .orderBy('id', 'asc')
    .limit(num)
    .offset(start - 1)
    .execute();
  const memberships = new Map<string, MemberType>();
  if (viewer.username && rows.length) {
    const ms = await deps.db
      .selectFrom('group_members')
      .select(['group_id', 'member_type'])
      .where('username', '=', viewer.username)
      .where(
        'group_id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    for (const m of ms) memberships.set(m.group_id, m.member_type as MemberType);
  }
  return {
    query: params.q ?? '',
    total,
    start,
    num,
    nextStart: start + num <= total && num > 0 ? start + num : -1,
    results: rows.map((r) => groupJson(r, orgId, viewer, memberships.get(r.id) ?? 'none')),
  };
}
