import type { Kysely } from 'kysely';

/**
 * Sign-in throttling replaces the per-user failure counter: attempts are counted per account
 * and client address, per client address, and per account (see sign-in-throttle.ts), and the
 * addresses an account signed in from are remembered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sign_in_throttle')
    .addColumn('scope', 'varchar(8)', (c) => c.notNull())
    .addColumn('username', 'varchar(128)', (c) => c.notNull())
    .addColumn('address', 'varchar(64)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_throttle_pk', ['scope', 'username', 'address'])
    .execute();
  await db.schema
    .createIndex('sign_in_throttle_user')
    .on('sign_in_throttle')
    .columns(['username', 'locked_until'])
    .execute();
  await db.schema
    .createTable('sign_in_known_addresses')
    .addColumn('username', 'varchar(128)', (c) => c.notNull())
    .addColumn('address', 'varchar(64)', (c) => c.notNull())
    .addColumn('last_success', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sign_in_known_addresses_pk', ['username', 'address'])
    .execute();
  await db.schema.alterTable('users').dropColumn('failed_logins').execute();
  await db.schema.alterTable('users').dropColumn('locked_until').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('locked_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.dropTable('sign_in_known_addresses').execute();
  await db.schema.dropTable('sign_in_throttle').execute();
}
