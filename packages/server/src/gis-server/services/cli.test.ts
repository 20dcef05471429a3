/**
 * `meridian server publish`, `services`, `delete-service` and `jobs …` run as a user runs them: the
 * real command in its own process, from another directory (a relative file path), on the
 * data directory of a GIS server that is running; the server sees each change on its own.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { type Json, pointsGeoJson, startTestServer, type TestServer } from './test-server.ts';

const MAIN = resolve(import.meta.dirname, '../../../../cli/src/main.ts');

describe('meridian server publish / services / delete-service', () => {
  let home: string;
  let work: string;
  let t: TestServer;
  const meridian = async (...args: string[]) => {
    try {
      const r = await promisify(execFile)(process.execPath, [MAIN, 'server', ...args, '--home', home], {
        cwd: work,
        env: { ...process.env, MERIDIAN_LOG_LEVEL: 'silent' },
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  /** Polls the running server until `check` holds for the answer (the bus takes up to a second). */
  const eventually = async (path: string, params: Record<string, string>, check: (r: Json) => boolean) => {
    let r: Json;
    for (let i = 0; i < 60; i++) {
      r = await t.call(path, params, { token: t.adminToken });
      if (check(r)) return r;
      await sleep(100);
    }
    assert.fail(`${path} never matched: ${JSON.stringify(r).slice(0, 300)}`);
  };

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-cli-services-'));
    work = mkdtempSync(join(tmpdir(), 'meridian-cli-work-'));
    mkdirSync(join(work, 'data'));
    writeFileSync(join(work, 'data', 'trees.geojson'), pointsGeoJson(120));
    writeFileSync(
      join(work, 'data', 'bad.geojson'),
      '{"type":"FeatureCollection","features":[{"type":"Feature"',
    );
    t = await startTestServer(home);
  });
  after(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  test('publish a relative path into a folder, public; the running server serves it', async () => {
    const r = await meridian(
      'publish',
      'data/trees.geojson',
      '--name',
      'Trees',
      '--folder',
      'city',
      '--public',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Published city\/Trees \(public, 120 features\)/);
    assert.match(r.stdout, /\/arcgis\/rest\/services\/city\/Trees\/FeatureServer/);
    const count = await eventually(
      '/arcgis/rest/services/city/Trees/FeatureServer/0/query',
      { returnCountOnly: 'true' },
      (x) => x.count === 120,
    );
    assert.equal(count.count, 120);
    const anonymous = await t.call('/arcgis/rest/services/city/Trees/FeatureServer/0/query', {
      returnCountOnly: 'true',
    });
    assert.equal(anonymous.count, 120, '--public: no token needed');
  });

  test('a bad file or a taken name fails with its reason and leaves nothing', async () => {
    const bad = await meridian('publish', 'data/bad.geojson', '--name', 'Bad');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /features\.bad_geojson|GeoJSON/i);
    const taken = await meridian('publish', 'data/trees.geojson', '--name', 'TREES', '--folder', 'City');
    assert.notEqual(taken.code, 0);
    assert.match(taken.stderr, /already exists/);
    const missing = await meridian('publish', 'data/none.geojson', '--name', 'None');
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /cannot read 'data\/none\.geojson' \(.*none\.geojson\): no such file or directory/,
    );
    assert.doesNotMatch(
      missing.stderr,
      /bad_service_definition/,
      'a missing file is not a bad service definition',
    );
    const list = await meridian('services', '--json');
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      JSON.parse(list.stdout).services.map((s: Json) => `${s.folder}/${s.name}`),
      ['city/Trees'],
    );
  });

  test('services lists; delete-service removes it and the running server stops serving it', async () => {
    const list = await meridian('services');
    assert.match(list.stdout, /city\/Trees {2}public {2}owner admin {2}1 layer\(s\), 120 features/);
    const del = await meridian('delete-service', 'city/trees');
    assert.equal(del.code, 0, del.stderr);
    await eventually('/arcgis/rest/services/city/Trees/FeatureServer', {}, (x) => x.error?.code === 404);
    const again = await meridian('delete-service', 'city/trees');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /No service city\/trees/);
  });

  test('server jobs list / show / cancel: a publish running on the server is cancelled from the command line', async () => {
    const created = await t.createService(
      { serviceName: 'Huge' },
      { name: 'huge.geojson', body: pointsGeoJson(300_000) },
    );
    assert.ok(created.jobId, JSON.stringify(created));
    await eventually(`/arcgis/admin/jobs/${created.jobId}`, {}, (j) => j.status === 'running');
    const list = await meridian('jobs', 'list');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${created.jobId}.*gis-server\\.publish.*running`));
    const cancel = await meridian('jobs', 'cancel', created.jobId);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.match(cancel.stdout, /cancel requested/);
    const job = await t.waitJob(created.jobId);
    assert.equal(job.status, 'cancelled', JSON.stringify(job));
    const show = await meridian('jobs', 'show', created.jobId);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /cancelled/);
    assert.equal(
      (await t.call('/arcgis/rest/services/Huge/FeatureServer', {}, { token: t.adminToken })).error.code,
      404,
    );
  });
});
