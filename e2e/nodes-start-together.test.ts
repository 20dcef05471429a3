/**
 * Two nodes behind one public URL, started at the same instant on a fresh PostgreSQL database
 * (sharing one secrets.key): they serve the same web server certificate (each may issue one,
 * only the first is stored, both serve the stored one), and every URL they generate is the
 * public URL, whichever node answers.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { fetch } from 'undici';
import { SecretBox } from '../packages/server/src/kernel/secrets/box.ts';
import { createPgDatabase } from '../packages/server/test/pg-databases.ts';
import { type PortalProcess, startPortalProcess } from './portal-process.ts';

/** The certificate a node serves for `servername` (verified against the portal CA). */
function servedCertificate(port: number, caPem: string, servername?: string): Promise<tls.PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, ca: caPem, ...(servername ? { servername } : {}) },
      () => {
        resolve(socket.getPeerCertificate());
        socket.end();
      },
    );
    socket.once('error', reject);
  });
}

const servedFingerprint = async (port: number, caPem: string, servername?: string) =>
  (await servedCertificate(port, caPem, servername)).fingerprint256;

const PUBLIC_URL = 'https://gis.example.test:8443';

describe('two nodes behind one public URL, started at the same instant', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let dir: string;
  let nodes: PortalProcess[] = [];

  before(async () => {
    db = await createPgDatabase();
    dir = mkdtempSync(join(tmpdir(), 'meridian-together-'));
    for (const n of ['a', 'b']) mkdirSync(join(dir, n), { mode: 0o700 });
    SecretBox.openOrCreate(join(dir, 'a', 'secrets.key'));
    copyFileSync(join(dir, 'a', 'secrets.key'), join(dir, 'b', 'secrets.key'));
    const env = {
      MERIDIAN_DATABASE_URL: db.url,
      MERIDIAN_ADMIN_PASSWORD: 'Together-passw0rd!',
      MERIDIAN_PUBLIC_URL: PUBLIC_URL,
      // The nodes of one database share one file store.
      MERIDIAN_FILES_DIR: join(dir, 'files'),
    };
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

  test('generate the public URL, not their own, in every URL; their certificate names its host', async () => {
    const answers = [];
    for (const node of nodes) {
      const get = async (path: string) =>
        (await (await fetch(`${node.base}${path}`, { dispatcher: node.dispatcher })).json()) as Record<
          string,
          unknown
        >;
      const info = await get('/sharing/rest/info?f=json');
      const self = await get('/sharing/rest/portals/self?f=json');
      answers.push({
        owningSystemUrl: info.owningSystemUrl,
        tokenServicesUrl: (info.authInfo as { tokenServicesUrl?: string }).tokenServicesUrl,
        portalHostname: self.portalHostname,
      });
    }
    assert.deepEqual(answers[0], {
      owningSystemUrl: PUBLIC_URL,
      tokenServicesUrl: `${PUBLIC_URL}/sharing/rest/generateToken`,
      portalHostname: 'gis.example.test:8443',
    });
    assert.deepEqual(answers[1], answers[0]);
    const served = await servedCertificate(nodes[0]!.port, nodes[0]!.caPem, 'gis.example.test');
    assert.match(served.subjectaltname ?? '', /DNS:gis\.example\.test/);
  });
});
