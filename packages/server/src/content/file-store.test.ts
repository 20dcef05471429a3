/**
 * The nodes of one database share one file store: an item file uploaded through one node is
 * downloaded through another, and a node whose files directory is not the portal's store is
 * refused at start, naming the directory and the fix, instead of serving items without files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { FormData, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { openDatabase } from '../kernel/db/database.ts';
import { migrateToLatest } from '../kernel/db/migrate.ts';
import { roleMigrations } from '../roles/compose.ts';
import { portalModules } from '../roles/portal.ts';
import { claimFileStore } from './file-store.ts';

const api = '/sharing/rest/content';

describe('the file store of several nodes', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  before(async () => {
    pg = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: pg.url });
    b = await startTestPortal({ databaseUrl: pg.url, secretsKeyFrom: a.home });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await pg?.drop();
  });

  test('a file uploaded through node A downloads through node B', async () => {
    const token = await a.token();
    const body = Buffer.from('name,lat,lon\nquay,50.8,-1.1\n');
    const form = new FormData();
    for (const [k, v] of Object.entries({ f: 'json', token, title: 'Quays', type: 'CSV' })) form.set(k, v);
    form.set('file', new Blob([body], { type: 'text/csv' }), 'quays.csv');
    const added = (await (
      await a.fetch(`${api}/users/admin/addItem`, { method: 'POST', body: form })
    ).json()) as {
      success: boolean;
      id: string;
    };
    assert.equal(added.success, true, JSON.stringify(added));
    const res = await b.fetch(`${api}/items/${added.id}/data?token=${token}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), body);
  });

  test('a node with its own files directory is refused at start, naming the directory and the fix', async () => {
    const home = mkdtempSync(join(tmpdir(), 'meridian-node-c-'));
    try {
      await assert.rejects(
        startTestPortal({
          databaseUrl: pg.url,
          secretsKeyFrom: a.home,
          home,
          overrides: { 'content.filesDir': join(home, 'files') },
        }),
        (err: Error & { code?: string; fix?: string }) => {
          assert.equal(err.code, 'content.files_not_shared');
          assert.match(err.message, new RegExp(join(home, 'files').replaceAll('/', '\\/')));
          assert.match(`${err.message} ${err.fix}`, /MERIDIAN_FILES_DIR/);
          return true;
        },
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('naming the file store', () => {
  test('a portal from before stores were named adopts its directory; another directory is then refused', async () => {
    const home = mkdtempSync(join(tmpdir(), 'meridian-store-'));
    const db = openDatabase({ home });
    try {
      await migrateToLatest(db, roleMigrations(portalModules));
      const files = join(home, 'files');
      mkdirSync(files);
      writeFileSync(join(files, 'a'.repeat(32)), 'an item file from before');
      const id = await claimFileStore(db.kysely, files, 1);
      assert.equal(readFileSync(join(files, '.meridian-store'), 'utf8').trim(), id);
      assert.equal(await claimFileStore(db.kysely, files, 2), id, 'the same directory again');
      const other = join(home, 'other');
      await assert.rejects(claimFileStore(db.kysely, other, 3), /has no \.meridian-store file/);
      mkdirSync(other);
      writeFileSync(join(other, '.meridian-store'), 'another-portal\n');
      await assert.rejects(
        claimFileStore(db.kysely, other, 4),
        /another portal's file store \(another-portal\)/,
      );
    } finally {
      await db.close();
      rmSync(home, { recursive: true, force: true });
    }
  });
});
