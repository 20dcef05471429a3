import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { loadPortalConfig, openPortalNode, type PortalNode } from '../roles/portal.ts';

describe('firstFromLocalCa: nodes issuing at once on one PostgreSQL database', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let dir: string;
  const nodes: PortalNode[] = [];

  before(async () => {
    db = await createPgDatabase();
    dir = mkdtempSync(join(tmpdir(), 'meridian-first-cert-'));
    const open = (home: string) =>
      openPortalNode(
        loadPortalConfig({
          env: {},
          overrides: {
            home,
            'database.url': db.url,
            'admin.password': 'First-cert-passw0rd!',
            // The nodes of one database share one file store.
            'content.filesDir': join(dir, 'files'),
          },
        }),
        { logger: false },
      );
    nodes.push(await open(join(dir, 'a')));
    mkdirSync(join(dir, 'b'), { mode: 0o700 });
    copyFileSync(join(dir, 'a', 'secrets.key'), join(dir, 'b', 'secrets.key'));
    nodes.push(await open(join(dir, 'b')));
  });

  after(async () => {
    for (const n of nodes) await n.close();
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  test('both get the one certificate that was stored', async () => {
    const names = ['localhost', '127.0.0.1'];
    const [a, b] = await Promise.all(nodes.map((n) => n.modules.pki.firstFromLocalCa('web-first', names)));
    const stored = await nodes[0]!.modules.pki.loadCertificate('web-first');
    assert.ok(a && b && stored);
    assert.equal(a.certChainPem, stored.certChainPem);
    assert.equal(b.certChainPem, stored.certChainPem);
    assert.equal(a.keyPem, b.keyPem);
  });

  test('re-issuing (renewal) still replaces the stored certificate', async () => {
    const before = await nodes[0]!.modules.pki.loadCertificate('web-first');
    const renewed = await nodes[1]!.modules.pki.issueFromLocalCa('web-first', ['localhost']);
    const after = await nodes[0]!.modules.pki.loadCertificate('web-first');
    assert.notEqual(renewed.certChainPem, before!.certChainPem);
    assert.equal(after!.certChainPem, renewed.certChainPem);
    // And firstFromLocalCa keeps it.
    assert.equal(
      (await nodes[0]!.modules.pki.firstFromLocalCa('web-first', ['x'])).certChainPem,
      renewed.certChainPem,
    );
  });
});
