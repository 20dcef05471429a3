import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Client } from 'pg';
import { fetch } from 'undici';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { loadGisServerConfig, startGisServer } from '../../roles/gis-server.ts';
import { loadPortalConfig } from '../../roles/portal.ts';
import { parseListenAddress } from './listen-address.ts';

const PG_URL = process.env.MERIDIAN_TEST_PG_URL;

/** Scrapes a node's metrics listener over HTTP. */
async function scrape(port: number | undefined): Promise<{ text: string; type: string | null }> {
  assert.ok(port, 'the metrics listener listens');
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(res.status, 200);
  return { text: await res.text(), type: res.headers.get('content-type') };
}

/** The value of one series, by its exact name and labels as exposed. */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics.listen: Prometheus metrics on their own listener', () => {
  test('a port alone binds 127.0.0.1; anything else malformed is refused at start, naming the setting', () => {
    assert.deepEqual(parseListenAddress('9464'), { host: '127.0.0.1', port: 9464 });
    assert.deepEqual(parseListenAddress('0.0.0.0:9464'), { host: '0.0.0.0', port: 9464 });
    assert.deepEqual(parseListenAddress('[::1]:9464'), { host: '::1', port: 9464 });
    assert.deepEqual(parseListenAddress('metrics.internal:9464'), { host: 'metrics.internal', port: 9464 });
    assert.equal(parseListenAddress(''), undefined);
    const load = (v: string) =>
      loadPortalConfig({ env: { MERIDIAN_METRICS_LISTEN: v }, overrides: { home: '/tmp/unused' } });
    assert.equal(load('').metrics.listen, '', 'off by default');
    assert.equal(load('127.0.0.1:9464').metrics.listen, '127.0.0.1:9464');
    for (const bad of ['http://127.0.0.1:9464', '127.0.0.1', '127.0.0.1:99999', ':9464', '[x]:1', 'a b:1'])
      assert.throws(
        () => load(bad),
        /Setting metrics\.listen from environment MERIDIAN_METRICS_LISTEN must be empty \(off\), a PORT, or HOST:PORT \(for example 9464, 127\.0\.0\.1:9464/,
        bad,
      );
  });

  test('off by default: no metrics, so no request hook and no listener', async () => {
    const portal = await startTestPortal();
    try {
      assert.equal(portal.kernel.metrics, undefined);
      assert.equal((await portal.fetch('/sharing/rest/info?f=json')).status, 200);
    } finally {
      await portal.close();
    }
  });

  describe('on a portal (SQLite)', () => {
    let portal: TestPortal;
    before(async () => {
      portal = await startTestPortal({ overrides: { 'metrics.listen': '127.0.0.1:0' } });
    });
    after(() => portal?.close());

    test('requests are counted and timed by route pattern and status; no URL, id or token in a label', async () => {
      const token = await portal.token();
      for (let i = 0; i < 3; i++) await (await portal.fetch('/sharing/rest/info?f=json')).text();
      await (await portal.fetch(`/sharing/rest/community/users/admin?f=json&token=${token}`)).text();
      await (await portal.fetch('/no/such/place-7f3a?f=json&token=not-a-real-secret-42')).text();
      const { text, type } = await scrape(portal.kernel.metrics?.port);
      assert.equal(type, 'text/plain; version=0.0.4; charset=utf-8');
      assert.ok(
        (value(text, 'meridian_http_requests_total{method="GET",route="/sharing/rest/info",status="200"}') ??
          0) >= 3,
        text,
      );
      assert.equal(
        value(
          text,
          'meridian_http_requests_total{method="GET",route="/sharing/rest/community/users/:username",status="200"}',
        ),
        1,
      );
      assert.match(text, /meridian_http_requests_total\{method="GET",route="unmatched",status="\d+"\} 1/);
      assert.ok(
        (value(
          text,
          'meridian_http_request_duration_seconds_count{method="GET",route="/sharing/rest/info"}',
        ) ?? 0) >= 3,
      );
      assert.match(
        text,
        /meridian_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/sharing\/rest\/info"\} \d+/,
      );
      for (const secret of [token, 'not-a-real-secret-42', 'place-7f3a', 'users/admin'])
        assert.ok(!text.includes(secret), `${secret} appears in the metrics`);
    });

    test('bus, jobs, certificate days and process metrics; no pool on SQLite', async () => {
      const { text } = await scrape(portal.kernel.metrics?.port);
      assert.equal(value(text, 'meridian_bus_listener_up'), 1);
      assert.equal(value(text, 'meridian_bus_reconnects_total'), 0);
      for (const state of ['queued', 'running', 'succeeded', 'failed', 'cancelled'])
        assert.equal(typeof value(text, `meridian_jobs{state="${state}"}`), 'number', state);
      const cert = portal.modules.tls.web.certificate!;
      const days = value(text, `meridian_tls_certificate_days_left{alias="${cert.alias}"}`);
      assert.ok(
        days !== undefined && Math.abs(days - (cert.notAfter - Date.now()) / 86_400_000) < 0.01,
        text,
      );
      assert.match(text, /^process_cpu_user_seconds_total \d/m);
      assert.ok(!text.includes('meridian_db_pool_connections'));
    });

    test('the listener answers /metrics only, over plain HTTP', async () => {
      const port = portal.kernel.metrics?.port;
      assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 404);
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status, 405);
      assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'HEAD' })).status, 200);
    });
  });

  test('a GIS server serves them too; bound to every address it warns that they travel in clear', async () => {
    const home = mkdtempSync(join(tmpdir(), 'meridian-gis-metrics-'));
    const logs = new PassThrough();
    let logged = '';
    logs.on('data', (chunk) => {
      logged += chunk;
    });
    const server = await startGisServer(
      loadGisServerConfig({
        env: { MERIDIAN_METRICS_LISTEN: '0.0.0.0:0' },
        overrides: { home, 'https.port': 0, 'http.port': 0, bind: '127.0.0.1' },
      }),
      { logger: { level: 'warn', stream: logs } },
    );
    try {
      await fetch(`${server.url}/arcgis/rest/info?f=json`, {
        dispatcher: new (await import('undici')).Agent({ connect: { ca: server.caCertPem } }),
      });
      const { text } = await scrape(server.kernel.metrics?.port);
      assert.match(
        text,
        /meridian_http_requests_total\{method="GET",route="\/arcgis\/rest\/info",status="200"\} 1/,
      );
      assert.match(text, /meridian_tls_certificate_days_left\{alias="[^"]+"\} \d/);
      assert.match(logged, /metrics\.listen binds 0\.0\.0\.0, not a loopback address.*clear text/);
    } finally {
      await server.close();
      rmSync(home, { recursive: true, force: true });
    }
  });

  describe('on PostgreSQL', { skip: !PG_URL && 'MERIDIAN_TEST_PG_URL is not set' }, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await startTestPortal({ database: 'postgres', overrides: { 'metrics.listen': '0' } });
    });
    after(() => portal?.close());

    test('the pool, and the change listener going down and reconnecting', async () => {
      let { text } = await scrape(portal.kernel.metrics?.port);
      assert.ok((value(text, 'meridian_db_pool_connections{state="total"}') ?? 0) >= 1, text);
      assert.equal(typeof value(text, 'meridian_db_pool_connections{state="idle"}'), 'number');
      assert.equal(value(text, 'meridian_db_pool_connections{state="waiting"}'), 0);
      assert.equal(value(text, 'meridian_bus_listener_up'), 1);
      assert.equal(value(text, 'meridian_bus_reconnects_total'), 0);
      const admin = new Client({ connectionString: PG_URL });
      await admin.connect();
      try {
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [`meridian-bus ${portal.kernel.bus.nodeId}`],
        );
      } finally {
        await admin.end();
      }
      const deadline = Date.now() + 10_000;
      while (portal.kernel.bus.reconnects === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      ({ text } = await scrape(portal.kernel.metrics?.port));
      assert.equal(value(text, 'meridian_bus_reconnects_total'), 1);
      assert.equal(value(text, 'meridian_bus_listener_up'), 1);
    });
  });
});
