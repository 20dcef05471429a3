/**
 * Test support for the feature services: a GIS server on loopback (test-gis-server.ts) on a
 * given data directory (SQLite, or a PostgreSQL URL in `overrides`), its administrator's token,
 * and helpers to call it, publish through the admin API and wait for the publish job.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { FormData, fetch } from 'undici';
import type { RunningGisServer } from '../../roles/gis-server.ts';
import { startLoopbackGisServer } from '../test-gis-server.ts';

// biome-ignore lint/suspicious/noExplicitAny: ArcGIS JSON answers of many shapes.
export type Json = any;

export interface TestServer {
  server: RunningGisServer;
  home: string;
  adminToken: string;
  /** GET (params in the query string) or POST (a form body); answers the parsed JSON. */
  call(
    path: string,
    params?: Record<string, string>,
    opts?: { method?: 'GET' | 'POST'; token?: string },
  ): Promise<Json>;
  /** The raw answer text (f=pjson). */
  text(path: string, params?: Record<string, string>): Promise<string>;
  /** createService through the admin API; answers its JSON. */
  createService(
    service: object,
    file: { name: string; body: string },
    opts?: { token?: string; fileType?: string },
  ): Promise<Json>;
  /** Waits until a job has ended; answers it. */
  waitJob(jobId: string): Promise<Json>;
  /** A token of a user of this server (created with this role when missing). */
  tokenOf(username: string, role: 'org_admin' | 'org_publisher' | 'org_user'): Promise<string>;
  close(): Promise<void>;
}

export async function startTestServer(
  home: string,
  overrides: Record<string, unknown> = {},
  opts: { sameServerAs?: string } = {},
): Promise<TestServer> {
  const started = await startLoopbackGisServer({ home, overrides, ...opts });
  const { server, dispatcher } = started;
  const raw = async (
    path: string,
    params: Record<string, string>,
    method: 'GET' | 'POST',
    token?: string,
  ) => {
    const all = { f: 'json', ...params, ...(token ? { token } : {}) };
    const body = new URLSearchParams(all).toString();
    const res =
      method === 'GET'
        ? await fetch(`${server.url}${path}?${body}`, { dispatcher })
        : await fetch(`${server.url}${path}`, {
            dispatcher,
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body,
          });
    assert.equal(res.status, 200, `${method} ${path}: HTTP ${res.status}`);
    return res.text();
  };
  const passwordOf = new Map<string, string>([['admin', started.adminPassword]]);
  const tokens = new Map<string, string>();
  const generate = async (username: string) => {
    const t = JSON.parse(
      await raw(
        '/arcgis/tokens/generateToken',
        { username, password: passwordOf.get(username)!, client: 'requestip' },
        'POST',
      ),
    );
    assert.ok(t.token, JSON.stringify(t));
    return t.token as string;
  };
  const adminToken = started.adminToken;
  const t: TestServer = {
    server,
    home,
    adminToken,
    async call(path, params = {}, opts = {}) {
      return JSON.parse(await raw(path, params, opts.method ?? 'GET', opts.token));
    },
    text: (path, params = {}) => raw(path, { ...params, f: 'pjson' }, 'GET'),
    async createService(service, file, opts = {}) {
      const form = new FormData();
      form.append('f', 'json');
      form.append('token', opts.token ?? adminToken);
      form.append('service', JSON.stringify(service));
      if (opts.fileType) form.append('fileType', opts.fileType);
      form.append('file', new Blob([file.body]), file.name);
      const res = await fetch(`${server.url}/arcgis/admin/services/createService`, {
        dispatcher,
        method: 'POST',
        body: form,
      });
      return res.json();
    },
    async waitJob(jobId) {
      for (;;) {
        const j = await t.call(`/arcgis/admin/jobs/${jobId}`, {}, { token: adminToken });
        assert.ok(j.id, JSON.stringify(j));
        if (['succeeded', 'failed', 'cancelled'].includes(j.status)) return j;
        await sleep(50);
      }
    },
    async tokenOf(username, role) {
      if (!tokens.has(username)) {
        if (!passwordOf.has(username)) {
          const password = `pw-${username}-Aa1!x9`;
          await server.modules.identity.createUser({
            username,
            password,
            role,
            email: `${username}@example.org`,
          });
          passwordOf.set(username, password);
        }
        tokens.set(username, await generate(username));
      }
      return tokens.get(username)!;
    },
    close: () => started.close(),
  };
  return t;
}

/** A GeoJSON FeatureCollection of n points on a grid (lon 10…10.49, lat 50…89.99, repeated past 200,000), with a few attributes. */
export function pointsGeoJson(n: number): string {
  const features = Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    properties: { name: `p${i}`, rank: i, kind: i % 2 ? 'odd' : 'even', score: i + 0.5 },
    geometry: { type: 'Point', coordinates: [10 + (i % 50) * 0.01, 50 + (Math.floor(i / 50) % 4000) * 0.01] },
  }));
  return JSON.stringify({ type: 'FeatureCollection', features });
}
