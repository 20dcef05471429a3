import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { adminUrl, createPgDatabase } from '../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../identity/test-users.ts';

async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return Date.now() - t0;
    await sleep(25);
  }
  throw new Error(`not within ${ms} ms`);
}

describe('two portal nodes on one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  const homeB = mkdtempSync(join(tmpdir(), 'meridian-node-b-'));

  before(async () => {
    db = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: db.url });
    // Every node of a portal shares the secrets key (it opens the sealed signing keys) and the
    // file store.
    b = await startTestPortal({ databaseUrl: db.url, home: homeB, secretsKeyFrom: a.home });
    await addUser(a, 'twonodes');
  });
  after(async () => {
    await b?.close();
    await a?.close();
    rmSync(homeB, { recursive: true, force: true });
    await db?.drop();
  });

  test('a token issued by node A works on node B; revocation on A reaches B within a second', async () => {
    const token = await a.token('twonodes', USER_PASSWORD);
    const onB = () => b.call('/sharing/rest/community/self', { token }, { method: 'GET' });
    assert.equal((await onB()).username, 'twonodes');
    const adminA = await a.token();
    assert.equal(
      (await a.call('/portaladmin/security/users/twonodes/disable', { token: adminA })).status,
      'success',
    );
    await within(1000, async () => (await onB()).error?.code === 498);
    await a.call('/portaladmin/security/users/twonodes/enable', { token: adminA });

    // Role change on B is seen on A.
    const t2 = await a.token('twonodes', USER_PASSWORD);
    const adminB = await b.token();
    await b.call('/portaladmin/security/users/updateUserRole', {
      token: adminB,
      username: 'twonodes',
      role: 'org_publisher',
    });
    await within(
      1000,
      async () =>
        (await a.call('/sharing/rest/community/self', { token: t2 }, { method: 'GET' })).error?.code === 498,
    );
  });

  test("a profile changed on node A is in node B's community/self within a second", async () => {
    const token = await a.token('twonodes', USER_PASSWORD);
    const selfOnB = () => b.call('/sharing/rest/community/self', { token }, { method: 'GET' });
    assert.equal((await selfOnB()).username, 'twonodes');
    await a.call('/sharing/rest/community/users/twonodes/update', { token, fullname: 'Seen On B' });
    await within(1000, async () => (await selfOnB()).fullName === 'Seen On B');
  });

  test("a group created on node A is in node B's community/self within a second", async () => {
    const token = await a.token('twonodes', USER_PASSWORD);
    const groupsOnB = async () =>
      (await b.call('/sharing/rest/community/self', { token }, { method: 'GET' })).groups.map(
        (g: { title: string }) => g.title,
      );
    const before = await groupsOnB();
    await a.call('/sharing/rest/community/createGroup', { token, title: 'Made on A', access: 'org' });
    await within(1000, async () => (await groupsOnB()).length === before.length + 1);
    assert.ok((await groupsOnB()).includes('Made on A'));
  });

  test("a settings change made while node B's change listener is cut reaches B once it reconnects", async () => {
    const admin = await a.token();
    const nameOnB = async () =>
      (await b.call('/sharing/rest/portals/self', { token: admin }, { method: 'GET' })).name as string;
    assert.notEqual(await nameOnB(), 'Changed while B was away');
    const pgAdmin = new pg.Client({ connectionString: adminUrl });
    await pgAdmin.connect();
    try {
      const cut = await pgAdmin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`meridian-bus ${b.kernel.bus.nodeId}`],
      );
      assert.equal(cut.rowCount, 1, "node B's listener connection");
    } finally {
      await pgAdmin.end();
    }
    // Published while B listens to nothing (it reconnects after 250 ms): B misses the event.
    const r = await a.call('/sharing/rest/portals/self/update', {
      token: admin,
      name: 'Changed while B was away',
    });
    assert.equal(r.success, true);
    await within(3000, async () => (await nameOnB()) === 'Changed while B was away');
  });

  test('a key rotated on node B verifies on node A', async () => {
    await b.modules.tokens.service.keys.rotate();
    const token = await b.token('twonodes', USER_PASSWORD);
    const me = await a.call('/sharing/rest/community/self', { token }, { method: 'GET' });
    assert.equal(me.username, 'twonodes');
  });
});
