import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Viewer } from '../viewer.ts';
import { ACL } from './acl-tokens.ts';
import type { TextQuery } from './condition.ts';
import type { Partition } from './partition.ts';
import { VIS } from './visibility.ts';

/**
 * The items a viewer may see: administrators everything; anonymous callers public items; a
 * signed-in user their own items, organisation and public items, and 'shared' items shared
 * with one of their groups (`groups`, read once per search). In two equivalent forms: for each
 * part of the index (partition.ts), what the viewer sees of it in access tokens (acl-tokens.ts);
 * and SQL on search_docs `d` for searches without words, as disjoint parts (so that each is
 * counted from its own index). Null parts: nothing to filter.
 */
export interface Access {
  /** Everything in the part (true), nothing (false), or what has these tokens. */
  partitions: Record<Partition, boolean | TextQuery>;
  parts: RawBuilder<SqlBool>[] | null;
}

export function viewerAccess(viewer: Viewer, groups: readonly string[]): Access {
  if (viewer.isAdmin) return { partitions: { open: true, closed: true }, parts: null };
  const tok = (token: string): TextQuery => ({ kind: 'acl', token, prefix: false });
  if (!viewer.username)
    return {
      partitions: { open: tok(ACL.access(VIS.public)), closed: false },
      parts: [sql<SqlBool>`d.vis = ${VIS.public}`],
    };
  const me = viewer.username;
  const personal: TextQuery = {
    kind: 'or',
    items: [tok(ACL.owner(me)), ...groups.map((g) => tok(ACL.sharedTo(g)))],
  };
  const parts = [sql<SqlBool>`d.vis >= ${VIS.org}`, sql<SqlBool>`d.vis < ${VIS.org} AND d.owner = ${me}`];
  // The unary + keeps the database on the shares of the groups rather than every shared item.
  if (groups.length)
    parts.push(
      sql<SqlBool>`+d.vis = ${VIS.shared} AND d.owner <> ${me} AND d.item_id IN (SELECT s.item_id FROM item_shares s WHERE s.group_id IN (${sql.join(groups.map((g) => sql`${g}`))}))`,
    );
  return { partitions: { open: true, closed: personal }, parts };
}

/** The access parts as one condition. */
export function accessSql(access: Access): RawBuilder<SqlBool> | null {
  if (!access.parts) return null;
  return access.parts.length === 1
    ? access.parts[0]!
    : sql<SqlBool>`((${sql.join(access.parts, sql`) OR (`)}))`;
}
