import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { type RunningServer, startHttpsServer } from '../../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa } from '../../pki/local-ca.ts';
import { leafOptions } from '../../pki/test-helpers.ts';
import { type AdminApp, serveAdminRoutes } from '../jobs/test-admin-app.ts';
import { registerTraceRoutes } from './routes.ts';
import { createPipelineRunner } from './runner.ts';

describe('portaladmin/traces over HTTPS: each diagnosis of the portal leaves a trace', () => {
  let portal: TestPortal;
  let admin: AdminApp;
  let partner: RunningServer;
  before(async () => {
    portal = await startTestPortal();
    const pipelines = createPipelineRunner({ db: portal.kernel.db, keepDays: 14 });
    admin = await serveAdminRoutes(portal, (app) => registerTraceRoutes(app, { pipelines }));
    const ca = await createRootCa('Partner CA');
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    partner = await startHttpsServer({ key: leaf.keyPem, cert: leaf.certPem + ca.certPem }, (_q, r) =>
      r.end('partner'),
    );
  });
  after(async () => {
    await partner.close();
    await admin.close();
    await portal.close();
  });

  test('POST portaladmin/security/diagnose answers as before, and the run is listed and readable', async () => {
    const token = await portal.token();
    const report = await portal.call('/portaladmin/security/diagnose', { url: partner.url, token });
    assert.equal(report.code, 'trust.unknown_ca');
    assert.equal(report.ok, false);
    assert.equal(report.steps.length, 7);

    const list = await admin.call('/portaladmin/traces', { pipeline: 'tls.diagnose' });
    assert.deepEqual([list.total, list.start, list.num, list.nextStart], [1, 1, 10, -1]);
    const listed = list.traces[0];
    assert.equal(listed.subject, partner.url);
    assert.equal(listed.outcome, 'failed');
    assert.equal(listed.code, 'trust.unknown_ca');

    const trace = await admin.call(`/portaladmin/traces/${listed.id}`);
    assert.deepEqual(trace, listed);
    assert.equal(trace.steps.at(-1).name, 'classify');
    assert.equal(trace.steps.at(-1).outcome, 'failed');
    assert.match(trace.steps.at(-1).detail, /^trust\.unknown_ca: .*Partner CA/);

    assert.equal((await admin.call('/portaladmin/traces', { outcome: 'succeeded' })).total, 0);
    assert.equal((await admin.call('/portaladmin/traces', { outcome: 'failed', num: 0 })).total, 1);
    const refused = await admin.call('/portaladmin/traces', { outcome: 'broken' });
    assert.deepEqual([refused.status, refused.code], ['error', 400]);
    const missing = await admin.call('/portaladmin/traces/no-such-trace');
    assert.deepEqual([missing.status, missing.code, missing.errorCode], ['error', 404, 'traces.not_found']);
    const anonymous = await admin.call('/portaladmin/traces', { token: '' });
    assert.deepEqual([anonymous.status, anonymous.code], ['error', 499]);
  });
});
