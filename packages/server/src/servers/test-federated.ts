/**
 * For the servers module's lifecycle tests: a real portal in this process on a data directory
 * the test keeps (so it can stop and start again on the same port), federated with a real GIS
 * server (publish/test-publish.ts startGis) through the federate route after the server CA's
 * fingerprint is confirmed; services created on the server with a portal-minted server token,
 * and waiting for a condition.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, FormData, fetch } from 'undici';
import { startTestPortal, type TestPortal, type TestPortalOptions } from '../../test/portal.ts';
import type { GisServerUnderTest, Json } from './publish/test-publish.ts';

/** A portal on `home` (kept when it closes), on `port` (0: any free one). */
export function portalAt(home: string, port = 0, opts: TestPortalOptions = {}): Promise<TestPortal> {
  return startTestPortal({ ...opts, home, overrides: { ...opts.overrides, 'https.port': port } });
}

/** Federates the GIS server: the untrusted answer first, then its fingerprint confirmed. Answers the server's id. */
export async function federate(portal: TestPortal, gis: GisServerUnderTest, token: string): Promise<string> {
  const password = readFileSync(join(gis.home, 'initial-admin-password'), 'utf8').trim();
  const form = { url: gis.root, username: 'admin', password, token };
  const first = await portal.call('/portaladmin/federation/servers/federate', form);
  assert.equal(first.errorCode, 'servers.untrusted_certificate', JSON.stringify(first));
  const fed = await portal.call('/portaladmin/federation/servers/federate', {
    ...form,
    trustPresentedCertificate: first.fingerprintToConfirm,
  });
  assert.equal(fed.status, 'success', JSON.stringify(fed));
  return fed.serverId as string;
}

/** A server token for the portal user of `portalToken` (generateToken with serverUrl). */
export async function serverToken(portal: TestPortal, gis: GisServerUnderTest, portalToken: string) {
  const t = await portal.call('/sharing/rest/generateToken', {
    token: portalToken,
    serverUrl: gis.root,
    expiration: 60,
  });
  assert.ok(t.token, JSON.stringify(t));
  return t.token as string;
}

/** POSTs a form to the server (f=json), trusting its CA; answers the JSON. */
export async function callServer(
  gis: GisServerUnderTest,
  path: string,
  fields: Record<string, string>,
): Promise<Json> {
  const dispatcher = new Agent({ connect: { ca: gis.server.caCertPem } });
  try {
    const res = await fetch(`${gis.server.url}${path}`, {
      method: 'POST',
      body: new URLSearchParams({ f: 'json', ...fields }),
      dispatcher,
    });
    return await res.json();
  } finally {
    await dispatcher.close();
  }
}

/**
 * Publishes a root-folder Feature Service of a few points on the server (createService, as the
 * token's user) and waits for its job; answers its URL.
 */
export async function createService(gis: GisServerUnderTest, token: string, name: string): Promise<string> {
  const dispatcher = new Agent({ connect: { ca: gis.server.caCertPem } });
  try {
    const form = new FormData();
    form.set('f', 'json');
    form.set('token', token);
    form.set('service', JSON.stringify({ serviceName: name, type: 'FeatureServer' }));
    const features = [0, 1, 2].map((i) => ({
      type: 'Feature',
      properties: { n: i },
      geometry: { type: 'Point', coordinates: [7 + i / 10, 46] },
    }));
    form.set('file', new Blob([JSON.stringify({ type: 'FeatureCollection', features })]), `${name}.geojson`);
    const res = await fetch(`${gis.server.url}/arcgis/admin/services/createService`, {
      method: 'POST',
      body: form,
      dispatcher,
    });
    const created = (await res.json()) as Json;
    assert.equal(created.status, 'success', JSON.stringify(created));
    for (;;) {
      const job = await gis.get(`/arcgis/admin/jobs/${created.jobId}`, { token });
      if (job.status === 'succeeded') return created.serviceUrl as string;
      assert.ok(job.id && !['failed', 'cancelled'].includes(job.status), JSON.stringify(job));
      await sleep(50);
    }
  } finally {
    await dispatcher.close();
  }
}

/** Polls `fn` until `ok` holds (every 200 ms, at most `ms`); answers the last value. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await sleep(200);
  }
}
