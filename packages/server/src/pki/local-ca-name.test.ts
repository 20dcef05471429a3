/**
 * The local CA's name says whose it is: a portal's and a GIS server's CA on one host are told
 * apart by the role and a short id of the installation; a CA already made keeps its name.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { loadGisServerConfig, openGisServerNode } from '../roles/gis-server.ts';
import { loadPortalConfig, openPortalNode } from '../roles/portal.ts';
import { tempDir } from './test-helpers.ts';

const subjectOf = (pem: string) => new X509Certificate(pem).subject;

describe('the local CA names its role and installation', () => {
  const dirs = [tempDir('meridian-ca-name-'), tempDir('meridian-ca-name-')];
  after(() => {
    for (const d of dirs) d.remove();
  });
  const overrides = (home: string) => ({ home, hostname: 'maps.example.test', 'log.level': 'silent' });
  const portalCa = async () => {
    const node = await openPortalNode(loadPortalConfig({ env: {}, overrides: overrides(dirs[0]!.path) }), {
      logger: false,
    });
    try {
      return await node.modules.pki.localCaPem();
    } finally {
      await node.close();
    }
  };
  const serverCa = async () => {
    const node = await openGisServerNode(
      loadGisServerConfig({ env: {}, overrides: overrides(dirs[1]!.path) }),
      { logger: false },
    );
    try {
      return await node.modules.pki.localCaPem();
    } finally {
      await node.close();
    }
  };

  test('a portal and a GIS server on one host: two CA names, each with its role and an id', async () => {
    const portal = subjectOf(await portalCa());
    const server = subjectOf(await serverCa());
    assert.match(portal, /^CN=Meridian Portal CA maps\.example\.test [0-9a-f]{6}\nO=Meridian$/);
    assert.match(server, /^CN=Meridian GIS Server CA maps\.example\.test [0-9a-f]{6}\nO=Meridian$/);
    assert.notEqual(portal.split(' ').at(-1), server.split(' ').at(-1), 'an id per installation');
  });

  test('a CA already made is kept as it is (its name included)', async () => {
    assert.equal(await serverCa(), await serverCa());
    assert.equal(await portalCa(), await portalCa());
  });
});
