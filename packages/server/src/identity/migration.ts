import type { Kysely } from 'kysely';

/** Users of the organisation. Usernames are unique without regard to case. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(128)', (c) => c.notNull())
    .addColumn('username_lower', 'varchar(128)', (c) => c.notNull().unique())
    .addColumn('first_name', 'varchar(256)', (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', 'varchar(256)', (c) => c.notNull().defaultTo(''))
    .addColumn('full_name', 'varchar(512)', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'varchar(320)', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'varchar(32)', (c) => c.notNull())
    .addColumn('provider', 'varchar(32)', (c) => c.notNull().defaultTo('arcgis'))
    .addColumn('idp_username', 'varchar(512)')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_hash', 'text')
    .addColumn('token_epoch', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_login', 'bigint', (c) => c.notNull().defaultTo(-1))
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_role').on('users').columns(['role', 'disabled']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
