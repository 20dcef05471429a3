/**
 * A command given the data directory of a PostgreSQL portal without its database URL is
 * refused, instead of creating a second, empty SQLite database with a new CA of the same name.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadPortalConfig, openPortalNode } from '../../../server/src/roles/portal.ts';
import { createPgDatabase } from '../../../server/test/pg-databases.ts';
import { cli } from './test-cli.ts';

describe('meridian on the data directory of a PostgreSQL portal', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let home: string;
  let caPem: string;

  before(async () => {
    db = await createPgDatabase();
    home = mkdtempSync(join(tmpdir(), 'meridian-cli-pg-'));
    const node = await openPortalNode(
      loadPortalConfig({
        env: {},
        overrides: { home, 'database.url': db.url, 'admin.password': 'Cli-pg-passw0rd!' },
      }),
      { logger: false },
    );
    caPem = await node.modules.pki.localCaPem();
    await node.close();
  });
  after(async () => {
    rmSync(home, { recursive: true, force: true });
    await db?.drop();
  });

  test('without the database URL: refused, no SQLite database made', async () => {
    const r = await cli(['trust', 'export-ca', '--home', home], '', {
      env: { ...process.env, MERIDIAN_DATABASE_URL: '', MERIDIAN_LOG_LEVEL: 'silent' },
    });
    assert.notEqual(r.code, 0);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /belongs to a portal on PostgreSQL/);
    assert.match(r.stderr, /--database-url or MERIDIAN_DATABASE_URL/);
    assert.ok(!existsSync(join(home, 'meridian.db')), 'no second database');
  });

  test('with it: the portal CA', async () => {
    const r = await cli(['trust', 'export-ca', '--home', home], '', {
      env: { ...process.env, MERIDIAN_DATABASE_URL: db.url, MERIDIAN_LOG_LEVEL: 'silent' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), caPem.trim());
  });
});
