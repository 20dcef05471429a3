import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { createJobService, type JobService } from './job-service.ts';
import { registerJobRoutes } from './routes.ts';
import { type AdminApp, serveAdminRoutes } from './test-admin-app.ts';
import { countRows } from './test-kinds.ts';

describe('portaladmin/jobs over HTTPS (administrator token)', () => {
  let portal: TestPortal;
  let admin: AdminApp;
  let jobs: JobService;
  before(async () => {
    portal = await startTestPortal();
    jobs = createJobService(
      { db: portal.kernel.db, bus: portal.kernel.bus },
      { pollMs: 100, progressEveryMs: 100 },
    );
    jobs.register('test.count', countRows);
    jobs.startWorker();
    admin = await serveAdminRoutes(portal, (app) => registerJobRoutes(app, { jobs }));
  });
  after(async () => {
    await admin.close();
    await jobs.stop();
    await portal.close();
  });

  const settled = async (id: string) => {
    for (;;) {
      const j = await admin.call(`/portaladmin/jobs/${id}`);
      if (['succeeded', 'failed', 'cancelled'].includes(j.status)) return j;
      await sleep(50);
    }
  };

  test('list, filter and read jobs; the envelope is {jobs, total, start, num, nextStart}', async () => {
    const a = await jobs.start('test.count', { total: 5, stepMs: 0 });
    const b = await jobs.start('test.count', { total: 5, stepMs: 0 });
    await settled(a);
    const done = await settled(b);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.progress, { done: 5, total: 5, message: 'row 5 of 5' });
    assert.deepEqual(done.result, { counted: 5, resumedFrom: 0 });
    assert.equal(typeof done.created, 'number');
    const page = await admin.call('/portaladmin/jobs', { num: 1 });
    assert.deepEqual([page.total, page.start, page.num, page.nextStart, page.jobs.length], [2, 1, 1, 2, 1]);
    assert.equal(page.jobs[0].kind, 'test.count');
    const byKind = await admin.call('/portaladmin/jobs', { kind: 'test.count', status: 'succeeded' });
    assert.deepEqual(byKind.jobs.map((j: { id: string }) => j.id).sort(), [a, b].sort());
    assert.equal((await admin.call('/portaladmin/jobs', { status: 'running' })).total, 0);
    const bad = await admin.call('/portaladmin/jobs', { status: 'done' });
    assert.equal(bad.status, 'error');
    assert.equal(bad.code, 400);
    const missing = await admin.call('/portaladmin/jobs/no-such-job');
    assert.equal(missing.status, 'error');
    assert.equal(missing.code, 404);
    assert.equal(missing.errorCode, 'jobs.not_found');
  });

  test('POST cancel answers {"status":"success"}; the job ends cancelled; an ended job cannot be cancelled', async () => {
    const id = await jobs.start('test.count', { total: 100_000, stepMs: 20 });
    while ((await jobs.get(id)).progress.done === 0) await sleep(50);
    assert.deepEqual(await admin.call(`/portaladmin/jobs/${id}/cancel`, {}, 'POST'), { status: 'success' });
    const j = await settled(id);
    assert.equal(j.status, 'cancelled');
    assert.equal(j.error.code, 'jobs.cancelled');
    const ok = await jobs.start('test.count', { total: 1, stepMs: 0 });
    await settled(ok);
    const refused = await admin.call(`/portaladmin/jobs/${ok}/cancel`, {}, 'POST');
    assert.equal(refused.status, 'error');
    assert.equal(refused.errorCode, 'jobs.already_ended');
  });

  test('administrators only: no token is 499, an ordinary user 403', async () => {
    const anonymous = await admin.call('/portaladmin/jobs', { token: '' });
    assert.deepEqual([anonymous.status, anonymous.code], ['error', 499]);
    await portal.modules.identity.createUser({
      username: 'jobs.viewer',
      password: 'J0bs-viewer-password',
      role: 'org_user',
      email: 'viewer@example.org',
    });
    const token = await portal.token('jobs.viewer', 'J0bs-viewer-password');
    const user = await admin.call('/portaladmin/jobs', { token });
    assert.deepEqual([user.status, user.code], ['error', 403]);
  });
});
