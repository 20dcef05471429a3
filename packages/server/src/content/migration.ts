import type { Kysely } from 'kysely';
import { binaryText } from './binary-text.ts';
import * as searchIndex from './search/migration.ts';

/**
 * Items, folders, groups, memberships and shares, then the search index (search/migration.ts).
 * PostgreSQL reserves xmin/xmax as system columns, hence extent_*.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('folders')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('owner', 'varchar(128)', (c) => c.notNull())
    .addColumn('title', 'varchar(256)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('folders_owner_title')
    .on('folders')
    .columns(['owner', 'title'])
    .unique()
    .execute();
  await db.schema
    .createTable('items')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('owner', 'varchar(128)', (c) => c.notNull())
    .addColumn('folder_id', 'varchar(32)')
    .addColumn('title', 'varchar(512)', (c) => c.notNull())
    .addColumn('title_sort', binaryText(db, 512), (c) => c.notNull())
    .addColumn('type', 'varchar(128)', (c) => c.notNull())
    .addColumn('type_keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('snippet', 'varchar(2048)', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('url', 'text')
    .addColumn('access', 'varchar(16)', (c) => c.notNull().defaultTo('private'))
    .addColumn('extent_xmin', 'double precision')
    .addColumn('extent_ymin', 'double precision')
    .addColumn('extent_xmax', 'double precision')
    .addColumn('extent_ymax', 'double precision')
    .addColumn('spatial_reference', 'text')
    .addColumn('properties', 'text')
    .addColumn('license_info', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('access_information', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('culture', 'varchar(32)', (c) => c.notNull().defaultTo(''))
    .addColumn('data_kind', 'varchar(8)', (c) => c.notNull().defaultTo('none'))
    .addColumn('data_text', 'text')
    .addColumn('file_name', 'varchar(512)')
    .addColumn('file_key', 'varchar(128)')
    .addColumn('file_type', 'varchar(256)')
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('num_views', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('items_owner_folder')
    .on('items')
    .columns(['owner', 'folder_id', 'created'])
    .execute();
  // Sort orders of search and the access filter's shapes (see search/to-sql.ts).
  await db.schema.createIndex('items_owner_modified').on('items').columns(['owner', 'modified']).execute();
  await db.schema.createIndex('items_access_modified').on('items').columns(['access', 'modified']).execute();
  await db.schema.createIndex('items_modified').on('items').columns(['modified']).execute();
  await db.schema.createIndex('items_created').on('items').columns(['created']).execute();
  await db.schema.createIndex('items_title_sort').on('items').columns(['title_sort']).execute();
  await db.schema.createIndex('items_type').on('items').columns(['type']).execute();
  // Covers the access filter and the default sort, so counting and paging search results
  // never read the (wide) item rows.
  await db.schema
    .createIndex('items_search_cover')
    .on('items')
    .columns(['id', 'access', 'owner', 'modified', 'created'])
    .execute();
  await db.schema
    .createTable('groups')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('title', 'varchar(512)', (c) => c.notNull())
    .addColumn('owner', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('snippet', 'varchar(2048)', (c) => c.notNull().defaultTo(''))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('access', 'varchar(16)', (c) => c.notNull().defaultTo('private'))
    .addColumn('is_invitation_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_view_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort_field', 'varchar(32)', (c) => c.notNull().defaultTo('title'))
    .addColumn('sort_order', 'varchar(8)', (c) => c.notNull().defaultTo('asc'))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'varchar(32)', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('username', 'varchar(128)', (c) => c.notNull())
    .addColumn('member_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('joined', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'username'])
    .execute();
  await db.schema
    .createIndex('group_members_user')
    .on('group_members')
    .columns(['username', 'group_id'])
    .execute();
  await db.schema
    .createTable('item_shares')
    .addColumn('item_id', 'varchar(32)', (c) => c.notNull().references('items.id').onDelete('cascade'))
    .addColumn('group_id', 'varchar(32)', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('shared', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_shares_pk', ['item_id', 'group_id'])
    .execute();
  await db.schema
    .createIndex('item_shares_group')
    .on('item_shares')
    .columns(['group_id', 'item_id'])
    .execute();
  await searchIndex.up(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await searchIndex.down(db);
  for (const t of ['item_shares', 'group_members', 'groups', 'items', 'folders'])
    await db.schema.dropTable(t).execute();
}
