/**
 * A PostgreSQL outage under load, as a portal node sees it: every connection of the node is cut
 * by the server (what a restart or a failover does to a client) while requests that need the
 * database are in flight. The node must stay up, answer what it cannot serve with a clear 503,
 * and serve again by itself.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { fetch } from 'undici';
import { adminUrl, createPgDatabase } from '../packages/server/test/pg-databases.ts';
import { type PortalProcess, startPortalProcess } from './portal-process.ts';

const PASSWORD = 'Fault-test-passw0rd!';

describe('PostgreSQL connections cut under load', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let home: string;
  let node: PortalProcess;
  let token: string;

  before(async () => {
    db = await createPgDatabase();
    home = mkdtempSync(join(tmpdir(), 'meridian-db-faults-'));
    node = await startPortalProcess(home, {
      MERIDIAN_DATABASE_URL: db.url,
      MERIDIAN_ADMIN_PASSWORD: PASSWORD,
    });
    token = await node.token(PASSWORD);
  });

  after(async () => {
    await node?.stop();
    rmSync(home, { recursive: true, force: true });
    await db?.drop();
  });

  /** A route that reads the database on every call (the user list is not cached). */
  const users = async () => {
    const res = await fetch(`${node.base}/sharing/rest/portals/self/users?f=json&num=5&token=${token}`, {
      dispatcher: node.dispatcher,
    });
    return {
      status: res.status,
      body: (await res.json()) as { users?: unknown[]; error?: { code: number; message: string } },
    };
  };

  test('the node stays up, answers 503 while the database is away, and serves again by itself', async () => {
    const name = new URL(db.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const seen = { ok: 0, unavailable: 0, other: [] as string[] };
    let loading = true;
    const worker = async () => {
      while (loading && node.child.exitCode === null) {
        try {
          const r = await users();
          if (r.body.users) seen.ok++;
          else if (r.status === 503 && r.body.error?.code === 503) seen.unavailable++;
          else seen.other.push(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
        } catch (err) {
          const e = err as Error & { cause?: Error };
          seen.other.push(`no answer: ${e.cause?.message ?? e.message}`);
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    try {
      for (let i = 0; i < 10; i++) {
        await sleep(150);
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
      }
      await sleep(300);
    } finally {
      loading = false;
      await Promise.allSettled(workers);
      await admin.end();
    }
    assert.equal(node.child.exitCode, null, `the node exited:\n${node.output().slice(-2000)}`);
    assert.deepEqual(seen.other, [], 'every answer is the list or a 503');
    assert.ok(seen.ok > 0, 'requests were served before and between the cuts');
    assert.ok(seen.unavailable > 0, 'requests in flight during a cut were answered 503');
    // Served again, without a restart.
    let back = await users();
    for (let i = 0; !back.body.users && i < 50; i++) {
      await sleep(100);
      back = await users();
    }
    assert.ok(back.body.users, JSON.stringify(back.body));
    assert.equal(node.child.exitCode, null);
  });

  test('readiness is 503 while the database refuses connections and 200 once it is back; liveness stays 200', async () => {
    const name = new URL(db.url).pathname.slice(1);
    const health = async (path: string) => {
      const res = await fetch(`${node.base}${path}`, { dispatcher: node.dispatcher });
      return { status: res.status, body: await res.text() };
    };
    const until = async (path: string, status: number) => {
      for (let i = 0; i < 100; i++) {
        const r = await health(path);
        if (r.status === status) return r;
        await sleep(100);
      }
      throw new Error(`${path} did not answer ${status}`);
    };
    assert.deepEqual(await health('/health/ready'), { status: 200, body: '{"status":"ready"}' });
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      const down = await until('/health/ready', 503);
      assert.equal(down.body, '{"status":"unavailable"}', 'no detail for whoever asks');
      assert.deepEqual(await health('/health/live'), { status: 200, body: '{"status":"live"}' });
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    await until('/health/ready', 200);
    assert.equal(node.child.exitCode, null);
  });
});
