import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Viewer } from '../viewer.ts';

/**
 * The items a viewer may see, as a condition on `items`: administrators everything; anonymous
 * callers public items; a signed-in user their own items, public and organisation items, and
 * items shared to a group they belong to (only 'shared' items have group shares: private
 * ones never do, so only they are looked up). Returns undefined when nothing is filtered.
 */
export function itemAccessFilter(viewer: Viewer): RawBuilder<SqlBool> | undefined {
  if (viewer.isAdmin) return undefined;
  if (!viewer.username) return sql<SqlBool>`items.access = 'public'`;
  return sql<SqlBool>`(items.access IN ('public', 'org') OR items.owner = ${viewer.username} OR (items.access = 'shared' AND items.id IN (SELECT s.item_id FROM item_shares s JOIN group_members m ON m.group_id = s.group_id WHERE m.username = ${viewer.username})))`;
}
