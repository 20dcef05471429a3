import type { Kysely } from 'kysely';

/** (PostgreSQL reserves xmin/xmax as system columns, hence extent_*.) Items, folders, groups, memberships and shares. The search index lives in its own migration. */
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
    .addColumn('properties', 'text')
    .addColumn('license_info', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('access_information', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('culture', 'varchar(32)', (c) => c.notNull().defaultTo(''))
    .addColumn('data_kind', 'varchar(8)', (c) => c.notNull().defaultTo('none'))
    .addColumn('data_text', 'text')
    .addColumn('file_name', 'varchar(512)')
    .addColumn('file_key', 'varchar(128)')
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('num_views', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('items_owner_folder').on('items').columns(['owner', 'folder_id']).execute();
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
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['item_shares', 'group_members', 'groups', 'items', 'folders'])
    await db.schema.dropTable(t).execute();
}
