/**
 * For the publish tests: a real portal and a real GIS server in this process, each with its own
 * data directory and CA, federated through the portal's federate route (the server CA's
 * fingerprint confirmed) and the server made the hosting server; users and items on the
 * portal; publishing and waiting for the job. The server's clock can be moved (`skew`), to play
 * a server whose clock is ahead of the portal's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch } from 'undici';
import { FormData, startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../../identity/test-users.ts';
import { loadGisServerConfig, type RunningGisServer, startGisServer } from '../../roles/gis-server.ts';
import { federate } from '../test-federated.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read ArcGIS JSON answers of many shapes.
export type Json = any;

export interface GisServerUnderTest {
  server: RunningGisServer;
  home: string;
  /** https://host:port/arcgis */
  root: string;
  /** GET a URL of the server (query parameters), trusting its CA. */
  get(path: string, params?: Record<string, string>): Promise<Json>;
  /** Stops the server, keeps its data directory. */
  stop(): Promise<void>;
  /** Starts it again on its data directory and port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** The server's clock runs ahead of real time by this much (ms). */
export const skew = { ms: 0 };
const clock = { now: () => Date.now() + skew.ms };

export async function startGis(): Promise<GisServerUnderTest> {
  const home = mkdtempSync(join(tmpdir(), 'meridian-publish-gis-'));
  const start = (port: number) =>
    startGisServer(
      loadGisServerConfig({
        env: {},
        overrides: {
          home,
          'https.port': port,
          'http.port': 0,
          bind: '127.0.0.1',
          'log.level': 'silent',
          'outbound.allowLoopback': true,
        },
      }),
      { logger: false, clock },
    );
  let server = await start(0);
  const port = server.httpsPort;
  const dispatcher = new Agent({ connect: { ca: server.caCertPem }, keepAliveTimeout: 500 });
  let running = true;
  const t: GisServerUnderTest = {
    get server() {
      return server;
    },
    home,
    root: `${server.url}/arcgis`,
    async get(path, params = {}) {
      const q = new URLSearchParams({ f: 'json', ...params });
      return (await fetch(`${server.url}${path}?${q}`, { dispatcher })).json();
    },
    async stop() {
      running = false;
      await server.close();
    },
    async restart() {
      server = await start(port);
      running = true;
    },
    async close() {
      if (running) await server.close();
      await dispatcher.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
  return t;
}

export interface Site {
  portal: TestPortal;
  gis: GisServerUnderTest;
  adminToken: string;
  serverId: string;
  tokenOf(username: string): Promise<string>;
  /** Adds an item with a data file to a user's content; answers its id. */
  addFileItem(
    username: string,
    type: string,
    title: string,
    file: { name: string; body: string },
  ): Promise<string>;
  /** content/users/<user>/publish. */
  publish(username: string, fields: Record<string, string>, token?: string): Promise<Json>;
  /** Waits for a portal job to end (read as the administrator); answers it. */
  waitJob(jobId: string): Promise<Json>;
  close(): Promise<void>;
}

/** A portal and a GIS server, federated with the server as the hosting server; users alicepub (publisher) and bobuser (user). */
export async function startSite(): Promise<Site> {
  const [portal, gis] = await Promise.all([startTestPortal(), startGis()]);
  try {
    return await federated(portal, gis);
  } catch (err) {
    await gis.close();
    await portal.close();
    throw err;
  }
}

async function federated(portal: TestPortal, gis: GisServerUnderTest): Promise<Site> {
  const adminToken = await portal.token();
  const serverId = await federate(portal, gis, adminToken);
  const role = await portal.call(`/portaladmin/federation/servers/${serverId}/update`, {
    token: adminToken,
    serverRole: 'HOSTING_SERVER',
  });
  assert.equal(role.status, 'success', JSON.stringify(role));
  await addUser(portal, 'alicepub', 'org_publisher');
  await addUser(portal, 'bobuser', 'org_user');
  const tokens = new Map<string, string>();
  const site: Site = {
    portal,
    gis,
    adminToken,
    serverId,
    async tokenOf(username) {
      if (!tokens.has(username)) tokens.set(username, await portal.token(username, USER_PASSWORD));
      return tokens.get(username)!;
    },
    async addFileItem(username, type, title, file) {
      const body = new FormData();
      body.set('f', 'json');
      body.set('token', username === 'admin' ? adminToken : await site.tokenOf(username));
      body.set('type', type);
      body.set('title', title);
      body.set('description', `About ${title}`);
      body.set('tags', 'test,publish');
      body.set('file', new Blob([file.body]), file.name);
      const res = await portal.fetch(`/sharing/rest/content/users/${username}/addItem`, {
        method: 'POST',
        body,
      });
      const answer = (await res.json()) as Json;
      assert.ok(answer.id, JSON.stringify(answer));
      return answer.id as string;
    },
    async publish(username, fields, token) {
      return portal.call(`/sharing/rest/content/users/${username}/publish`, {
        token: token ?? (await site.tokenOf(username)),
        ...fields,
      });
    },
    async waitJob(jobId) {
      for (;;) {
        const j = await portal.call(`/portaladmin/jobs/${jobId}`, { token: adminToken }, { method: 'GET' });
        assert.ok(j.id, JSON.stringify(j));
        if (['succeeded', 'failed', 'cancelled'].includes(j.status)) return j;
        await sleep(100);
      }
    },
    async close() {
      await gis.close();
      await portal.close();
    },
  };
  return site;
}

/** A GeoJSON FeatureCollection of n points (lon 10…, lat 50…) with a few attributes. */
export function pointsGeoJson(n: number): string {
  const features = Array.from({ length: n }, (_, i) => ({
    type: 'Feature',
    properties: { name: `p${i}`, rank: i },
    geometry: { type: 'Point', coordinates: [10 + (i % 100) * 0.001, 50 + Math.floor(i / 100) * 0.001] },
  }));
  return JSON.stringify({ type: 'FeatureCollection', features });
}
