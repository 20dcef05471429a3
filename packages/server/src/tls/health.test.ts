import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';

describe('health endpoints for load balancers (SQLite)', () => {
  let portal: TestPortal;
  before(async () => {
    portal = await startTestPortal();
  });
  after(() => portal.close());

  test('live and ready answer 200 without a token; HEAD works too', async () => {
    for (const [path, body] of [
      ['/health/live', '{"status":"live"}'],
      ['/health/ready', '{"status":"ready"}'],
    ] as const) {
      const res = await portal.fetch(path);
      assert.equal(res.status, 200, path);
      assert.equal(await res.text(), body);
      const head = await portal.fetch(path, { method: 'HEAD' });
      assert.equal(head.status, 200, `HEAD ${path}`);
    }
  });
});
