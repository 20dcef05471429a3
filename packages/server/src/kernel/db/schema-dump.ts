import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * A dialect-neutral description of the schema: tables, columns (type, nullability, default),
 * and indexes, sorted, so two databases can be compared for equality.
 */
export async function dumpSchema(db: Db): Promise<string[]> {
  const out: string[] = [];
  const tables = (await db.kysely.introspection.getTables({ withInternalKyselyTables: false }))
    .map((t) => t)
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const t of tables) {
    for (const c of t.columns) {
      out.push(
        `${t.name}.${c.name} ${c.dataType} ${c.isNullable ? 'null' : 'not null'} default=${c.hasDefaultValue}`,
      );
    }
  }
  if (db.dialect === 'sqlite') {
    const rows = await sql<{ name: string; tbl_name: string; sql: string | null }>`
      SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'kysely_%' ORDER BY name`.execute(
      db.kysely,
    );
    for (const r of rows.rows) out.push(`index ${r.tbl_name}.${r.name} ${r.sql ?? '(implicit)'}`);
  } else {
    const rows = await sql<{ indexname: string; tablename: string; indexdef: string }>`
      SELECT indexname, tablename, indexdef FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename NOT LIKE 'kysely_%' ORDER BY indexname`.execute(
      db.kysely,
    );
    for (const r of rows.rows) out.push(`index ${r.tablename}.${r.indexname} ${r.indexdef}`);
  }
  return out.sort();
}
