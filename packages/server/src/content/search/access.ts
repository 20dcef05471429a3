import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Viewer } from '../viewer.ts';
import { ACL } from './acl-tokens.ts';
import type { TextQuery } from './condition.ts';
import type { Partition } from './sqlite-index.ts';
import { VIS } from './visibility.ts';

/**
 * The items a viewer may see: administrators everything; anonymous callers public items; a
 * signed-in user their own items, organisation and public items, and 'shared' items shared
 * with one of their groups (`groups`, read once per search). In two equivalent forms: access
 * tokens for the full-text engine (acl-tokens.ts), and SQL on search_docs `d` for searches
 * without words, as disjoint parts (so that each is counted from its own index). Null: nothing
 * to filter.
 */
export interface Access {
  text: TextQuery | null;
  /**
   * SQLite, per FTS5 table (sqlite-index.ts): everything in it is visible (true), nothing
   * (false), or what has these tokens.
   */
  partitions: Record<Partition, boolean | TextQuery>;
  /** The tokens form as disjoint parts (organisation and public; the user's own and shared). */
  textParts: TextQuery[] | null;
  parts: RawBuilder<SqlBool>[] | null;
}

export function viewerAccess(viewer: Viewer, groups: readonly string[]): Access {
  if (viewer.isAdmin)
    return { text: null, partitions: { open: true, closed: true }, textParts: null, parts: null };
  const tok = (token: string): TextQuery => ({ kind: 'acl', token, prefix: false });
  if (!viewer.username) {
    const pub = tok(ACL.access(VIS.public));
    return {
      text: pub,
      partitions: { open: pub, closed: false },
      textParts: [pub],
      parts: [sql<SqlBool>`d.vis = ${VIS.public}`],
    };
  }
  const me = viewer.username;
  const signedIn = tok(ACL.signedIn);
  const personal: TextQuery[] = [tok(ACL.owner(me)), ...groups.map((g) => tok(ACL.sharedTo(g)))];
  const text: TextQuery = { kind: 'or', items: [signedIn, ...personal] };
  const textParts: TextQuery[] = [
    signedIn,
    {
      kind: 'and',
      items: [
        { kind: 'or', items: personal },
        { kind: 'not', item: signedIn },
      ],
    },
  ];
  const parts = [sql<SqlBool>`d.vis >= ${VIS.org}`, sql<SqlBool>`d.vis < ${VIS.org} AND d.owner = ${me}`];
  // The unary + keeps the database on the shares of the groups rather than every shared item.
  if (groups.length)
    parts.push(
      sql<SqlBool>`+d.vis = ${VIS.shared} AND d.owner <> ${me} AND d.item_id IN (SELECT s.item_id FROM item_shares s WHERE s.group_id IN (${sql.join(groups.map((g) => sql`${g}`))}))`,
    );
  const partitions = { open: true, closed: { kind: 'or', items: personal } as TextQuery };
  return { text, partitions, textParts, parts };
}

/** The access parts as one condition. */
export function accessSql(access: Access): RawBuilder<SqlBool> | null {
  if (!access.parts) return null;
  return access.parts.length === 1
    ? access.parts[0]!
    : sql<SqlBool>`((${sql.join(access.parts, sql`) OR (`)}))`;
}
