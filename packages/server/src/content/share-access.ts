import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { syncTermAccess } from './search/index-terms.ts';

/**
 * After group shares changed: items that are neither public nor org become 'shared' when
 * some group share remains, else 'private'.
 */
export async function refreshSharedAccess(
  trx: Transaction<Database> | Kysely<Database>,
  itemIds: string[],
): Promise<void> {
  for (let i = 0; i < itemIds.length; i += 500) {
    const ids = itemIds.slice(i, i + 500);
    if (!ids.length) continue;
    await trx
      .updateTable('items')
      .set({
        access: sql<
          'shared' | 'private'
        >`CASE WHEN EXISTS (SELECT 1 FROM item_shares s WHERE s.item_id = items.id) THEN 'shared' ELSE 'private' END`,
      })
      .where('id', 'in', ids)
      .where('access', 'in', ['private', 'shared'])
      .execute();
  }
  await syncTermAccess(trx, itemIds);
}
