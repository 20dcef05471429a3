import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { loadPortalConfig } from '../../roles/portal.ts';

describe('publicUrl: the URL clients reach the site at', () => {
  test('is an https origin; anything else is refused with what it must be', () => {
    const load = (publicUrl: string) =>
      loadPortalConfig({ env: { MERIDIAN_PUBLIC_URL: publicUrl }, overrides: { home: '/tmp/unused' } });
    assert.equal(load('https://gis.example.org').publicUrl, 'https://gis.example.org');
    assert.equal(load('https://gis.example.org:8443/').publicUrl, 'https://gis.example.org:8443/');
    for (const bad of [
      'http://gis.example.org',
      'gis.example.org',
      'https://user:pw@gis.example.org',
      'https://gis.example.org/?a=1',
    ])
      assert.throws(
        () => load(bad),
        /Setting publicUrl from environment MERIDIAN_PUBLIC_URL must be an https:\/\/ URL/,
        bad,
      );
    assert.throws(
      () => load('https://gis.example.org/portal'),
      /context path such as \/portal is not supported/,
    );
  });

  describe('on a running portal', () => {
    let portal: TestPortal;
    before(async () => {
      portal = await startTestPortal({ overrides: { publicUrl: 'https://gis.example.org' } });
    });
    after(() => portal?.close());

    test('generated URLs and the plain-HTTP redirect use it', async () => {
      // portal.url is the public URL now: ask the node at its own address.
      const info = (await (
        await portal.fetch(`https://localhost:${portal.httpsPort}/sharing/rest/info?f=json`)
      ).json()) as {
        owningSystemUrl: string;
        authInfo: { tokenServicesUrl: string };
      };
      assert.equal(info.owningSystemUrl, 'https://gis.example.org');
      assert.equal(info.authInfo.tokenServicesUrl, 'https://gis.example.org/sharing/rest/generateToken');
      const location = await new Promise<string | undefined>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port: portal.httpPort, path: '/home/?x=1', headers: { host: 'evil.example' } },
          (res) => {
            res.resume();
            resolve(res.headers.location);
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(location, 'https://gis.example.org/home/?x=1');
    });
  });
});
