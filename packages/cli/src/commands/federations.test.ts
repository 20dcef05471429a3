/**
 * meridian federations list and federations refresh ID, against the data directory of a
 * running portal: the state of the metadata, the refresh job with its progress bar, a failed
 * refresh (exit code 1, its code) that keeps the last good metadata.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  registerTestFederation,
  type TestFederation,
} from '../../../server/src/saml/discovery/test-federation.ts';
import { startTestPortal, type TestPortal } from '../../../server/test/portal.ts';
import { cli } from './test-cli.ts';

describe('meridian federations', () => {
  let portal: TestPortal;
  let fed: TestFederation;
  let where: string[];

  before(async () => {
    portal = await startTestPortal();
    fed = await registerTestFederation(portal, await portal.token(), { entities: 40 });
    where = ['--home', portal.home];
  });
  after(() => portal.close());

  test('federations list', async () => {
    const r = await cli(['federations', 'list', ...where]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^${fed.federationId}  Example Federation`, 'm'));
    assert.match(r.stdout, /30 identity providers of 40 entities, valid until \d{4}-/);
    const j = await cli(['federations', 'list', '--json', ...where]);
    assert.equal(JSON.parse(j.stdout).federations[0].identityProviders, 30);
  });

  test('federations refresh: a job with a progress bar; a failure keeps the last good metadata', async () => {
    const r = await cli(['federations', 'refresh', fed.federationId, ...where]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^[0-9a-f-]{36}: refreshing$/m);
    assert.match(r.stderr, /federations\.refresh /, 'the progress bar');
    assert.match(
      r.stderr,
      /meridian: The refresh of Example Federation failed: .+ \(the metadata in use stays\)\. \[[a-z_.]+\]/,
    );
    assert.match(r.stdout, /30 identity providers of 40 entities/);
    assert.match(r.stdout, /last refresh .* failed \[[a-z_.]+\]/);
    const missing = await cli(['federations', 'refresh', 'nope', ...where]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /\[federation\.not_found\]/);
  });
});
