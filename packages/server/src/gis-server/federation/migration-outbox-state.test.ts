/**
 * Migration 0031 on SQLite and PostgreSQL: outbox entries written before it (keyed by the URL
 * the writing process made) are kept, keyed by their service, pending, and delivered under the
 * URL of the node that delivers them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { openDatabase } from '../../kernel/db/database.ts';
import { migrateToLatest } from '../../kernel/db/migrate.ts';
import { roleMigrations } from '../../roles/compose.ts';
import { gisServerModules } from '../../roles/gis-server.ts';
import { Outbox } from './outbox.ts';

const NEW = '0031_gis_federation_outbox_state';

async function check(db: ReturnType<typeof openDatabase>): Promise<void> {
  const all = roleMigrations(gisServerModules);
  const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < NEW));
  await migrateToLatest(db, before);
  await sql`insert into gis_federation_outbox
      (id, action, service_url, payload, attempts, next_attempt, last_error, lease_owner, lease_expires, created)
      values ('old-1', 'register', 'https://localhost:6443/arcgis/rest/services/Hydro/Wells/FeatureServer',
              ${JSON.stringify({ folder: 'Hydro', name: 'Wells', type: 'FeatureServer', title: 'Wells', owner: 'admin' })},
              7, 1000, 'is not a service of https://localhost:7443/arcgis', null, null, 500)`.execute(
    db.kysely,
  );
  assert.deepEqual(await migrateToLatest(db, all), [NEW]);
  const outbox = new Outbox(db.kysely);
  const [e] = await outbox.list();
  assert.deepEqual(e, {
    id: 'old-1',
    action: 'register',
    service: { folder: 'Hydro', name: 'Wells', type: 'FeatureServer', title: 'Wells', owner: 'admin' },
    state: 'pending',
    attempts: 7,
    nextAttempt: 1000,
    lastError: 'is not a service of https://localhost:7443/arcgis',
    errorCode: null,
    created: 500,
  });
  assert.deepEqual(await outbox.due(2000), ['old-1']);
  // Keyed by its service: a later call for it (any case) replaces it.
  await outbox.enqueue('unregister', { folder: 'hydro', name: 'WELLS', type: 'FeatureServer' }, 3000);
  assert.deepEqual(
    (await outbox.list()).map((x) => [x.action, x.service.name]),
    [['unregister', 'WELLS']],
  );
}

describe('migration 0031: the outbox keyed by service, with a failed state', () => {
  test('SQLite', async () => {
    const home = mkdtempSync(join(tmpdir(), 'meridian-outbox-mig-'));
    const db = openDatabase({ home });
    try {
      await check(db);
    } finally {
      await db.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('PostgreSQL', async () => {
    const pg = await createPgDatabase();
    const db = openDatabase({ url: pg.url });
    try {
      await check(db);
    } finally {
      await db.close();
      await pg.drop();
    }
  });
});
