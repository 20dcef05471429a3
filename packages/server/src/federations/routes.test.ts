/**
 * portaladmin/federations over real HTTPS: the state of a federation's metadata, a refresh as
 * a job followed through portaladmin/jobs, a failed refresh that keeps the last good metadata
 * and says why.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { registerTestFederation, type TestFederation } from '../saml/discovery/test-federation.ts';

describe('portaladmin/federations', () => {
  let portal: TestPortal;
  let admin: string;
  let fed: TestFederation;
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked by the tests.
  const get = async (path: string): Promise<any> =>
    (await portal.fetch(`${path}${path.includes('?') ? '&' : '?'}f=json&token=${admin}`)).json();

  before(async () => {
    portal = await startTestPortal();
    admin = await portal.token();
    fed = await registerTestFederation(portal, admin, { entities: 40 });
  });
  after(() => portal.close());

  test('the federations and the state of their metadata', async () => {
    const { federations } = await get('/portaladmin/federations');
    assert.equal(federations.length, 1);
    const f = federations[0];
    assert.equal(f.id, fed.federationId);
    assert.equal(f.name, 'Example Federation');
    assert.equal(f.entities, 40);
    assert.equal(f.identityProviders, 30);
    assert.ok(f.validUntil > Date.now());
    assert.ok(f.lastSuccess > 0);
    assert.equal(f.lastError, null);
    assert.deepEqual(await get(`/portaladmin/federations/${fed.federationId}`), f);
    const missing = await get('/portaladmin/federations/nope');
    assert.equal(missing.status, 'error');
    const anonymous = await (await portal.fetch('/portaladmin/federations?f=json')).json();
    assert.equal((anonymous as { status: string }).status, 'error');
  });

  test('a refresh is a job; its failure keeps the last good metadata and says why', async () => {
    const before = await get(`/portaladmin/federations/${fed.federationId}`);
    const r = await (
      await portal.fetch(`/portaladmin/federations/${fed.federationId}/refresh`, {
        method: 'POST',
        body: new URLSearchParams({ f: 'json', token: admin }),
      })
    ).json();
    assert.equal((r as { status: string }).status, 'success', JSON.stringify(r));
    const jobId = (r as { jobId: string }).jobId;
    let job: { status: string; kind: string; error: { code: string } | null };
    for (;;) {
      job = await get(`/portaladmin/jobs/${jobId}`);
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) break;
      await sleep(50);
    }
    assert.equal(job.kind, 'federations.refresh');
    assert.equal(job.status, 'failed', 'nothing listens at the metadata URL');
    const after = await get(`/portaladmin/federations/${fed.federationId}`);
    assert.equal(after.identityProviders, 30, 'the last good metadata stays in use');
    assert.equal(after.lastSuccess, before.lastSuccess);
    assert.ok(after.lastAttempt > before.lastSuccess);
    assert.equal(after.lastError.code, job.error!.code);
    assert.ok(after.lastError.message.length > 0);
    const search = await (await portal.fetch('/sharing/rest/oauth2/saml/idps?f=json&q=university')).json();
    assert.equal((search as { total: number }).total, 30, 'discovery still lists them');
  });
});
