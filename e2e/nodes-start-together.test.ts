/**
 * Two nodes started at the same instant on a fresh PostgreSQL database (sharing one
 * secrets.key) serve the same web server certificate: each may issue one, only the first is
 * stored, and both serve the stored one.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { SecretBox } from '../packages/server/src/kernel/secrets/box.ts';
import { createPgDatabase } from '../packages/server/test/pg-databases.ts';
import { type PortalProcess, startPortalProcess } from './portal-process.ts';

/** The SHA-256 fingerprint of the certificate a node serves for `servername`. */
function servedFingerprint(port: number, caPem: string, servername?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, ca: caPem, ...(servername ? { servername } : {}) },
      () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      },
    );
    socket.once('error', reject);
  });
}

describe('two nodes started at the same instant', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let dir: string;
  let nodes: PortalProcess[] = [];

  before(async () => {
    db = await createPgDatabase();
    dir = mkdtempSync(join(tmpdir(), 'meridian-together-'));
    for (const n of ['a', 'b']) mkdirSync(join(dir, n), { mode: 0o700 });
    SecretBox.openOrCreate(join(dir, 'a', 'secrets.key'));
    copyFileSync(join(dir, 'a', 'secrets.key'), join(dir, 'b', 'secrets.key'));
    const env = { MERIDIAN_DATABASE_URL: db.url, MERIDIAN_ADMIN_PASSWORD: 'Together-passw0rd!' };
    nodes = await Promise.all(['a', 'b'].map((n) => startPortalProcess(join(dir, n), env)));
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  test('serve one web server certificate, with and without SNI', async () => {
    const [a, b] = nodes as [PortalProcess, PortalProcess];
    assert.equal(a.caPem, b.caPem, 'one portal CA');
    for (const servername of ['localhost', undefined]) {
      const onA = await servedFingerprint(a.port, a.caPem, servername);
      const onB = await servedFingerprint(b.port, b.caPem, servername);
      assert.equal(onA, onB, `SNI ${servername ?? '(none)'}`);
    }
  });
});
