/**
 * For the GIS federation tests: a portal (`meridian start`) and a GIS server (`meridian server`),
 * each its own process with its own data directory and CA, on fixed loopback ports so that either
 * can be restarted (or killed) and come back at the same URL. One HTTPS client trusts both CAs
 * (nothing else, and verification is never turned off).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, FormData, fetch } from 'undici';
import { freePort } from '../../bench/processes.ts';
import { type GisServerProcess, startGisServerProcess } from '../gis-server-process.ts';
import { type PortalProcess, startPortalProcess } from '../portal-process.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read ArcGIS JSON answers of many shapes.
export type Json = any;

export const PORTAL_ADMIN_PASSWORD = 'Portal-admin-passw0rd!';

/** The portal may call the server over loopback (the address policy refuses it by default). */
const LOOPBACK = { MERIDIAN_OUTBOUND_ALLOW_LOOPBACK: 'true' };

export interface Sites {
  dir: string;
  portal: PortalProcess;
  server: GisServerProcess;
  /** The portal's URL (https://localhost:<port>), what the server names as owningSystemUrl. */
  portalUrl: string;
  /** Trusts the portal CA and the server CA. */
  dispatcher: Agent;
  /** POSTs a form (f=json added) to a full URL and answers the JSON. */
  call(url: string, params?: Record<string, string>): Promise<Json>;
  /** GET with query parameters (f=json added). */
  get(url: string, params?: Record<string, string>): Promise<Json>;
  /** POSTs multipart fields and files to a full URL. */
  upload(
    url: string,
    fields: Record<string, string>,
    files: Record<string, { name: string; data: string | Uint8Array }>,
  ): Promise<Json>;
  /** A portal token (generateToken, client requestip). */
  portalToken(username?: string, password?: string): Promise<string>;
  /** A server token from the portal's generateToken with serverUrl (default: the server's root). */
  serverToken(portalToken: string, serverUrl?: string): Promise<Json>;
  /** Federates the server: the untrusted answer first, then the fingerprint it asks to confirm. */
  federate(portalToken: string): Promise<{ untrusted: Json; answer: Json }>;
  /** Stops the server (SIGKILL with kill) and starts it again on the same port and data directory. */
  restartServer(opts?: { kill?: boolean }): Promise<void>;
  /** Stops the portal (SIGTERM) and starts it again on the same port and data directory. */
  restartPortal(): Promise<void>;
  close(): Promise<void>;
}

/** Polls `fn` until `ok` holds for its answer (every 250 ms, for at most `ms`); answers the last one. */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await sleep(250);
  }
}

export async function startSites(prefix: string): Promise<Sites> {
  const dir = mkdtempSync(join(tmpdir(), `meridian-${prefix}-`));
  const portalHome = join(dir, 'portal');
  const serverHome = join(dir, 'server');
  const portalEnv = { ...LOOPBACK, MERIDIAN_ADMIN_PASSWORD: PORTAL_ADMIN_PASSWORD };
  const portalPort = await freePort();
  const serverPort = await freePort();
  // The server's settings in its data directory, as an administrator keeps them: the
  // `meridian server …` commands run on that directory then see the same port and policy.
  mkdirSync(serverHome, { mode: 0o700 });
  writeFileSync(
    join(serverHome, 'meridian.json'),
    JSON.stringify({ https: { port: serverPort }, outbound: { allowLoopback: true } }),
  );
  const [portal, server] = await Promise.all([
    startPortalProcess(portalHome, portalEnv, { port: portalPort }),
    startGisServerProcess(serverHome, { port: serverPort }),
  ]);
  const s = { portal, server };
  const dispatcher = new Agent({ connect: { ca: [portal.caPem, server.caPem] } });
  const json = async (res: Response | Awaited<ReturnType<typeof fetch>>, what: string): Promise<Json> => {
    const text = await res.text();
    assert.equal(res.status, 200, `${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const call = async (url: string, params: Record<string, string> = {}) =>
    json(
      await fetch(url, { method: 'POST', body: new URLSearchParams({ f: 'json', ...params }), dispatcher }),
      url,
    );
  const get = async (url: string, params: Record<string, string> = {}) =>
    json(await fetch(`${url}?${new URLSearchParams({ f: 'json', ...params })}`, { dispatcher }), url);
  const portalUrl = portal.base;
  const sites: Sites = {
    dir,
    get portal() {
      return s.portal;
    },
    get server() {
      return s.server;
    },
    portalUrl,
    dispatcher,
    call,
    get,
    async upload(url, fields, files) {
      const form = new FormData();
      form.set('f', 'json');
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      for (const [k, f] of Object.entries(files))
        form.set(k, new Blob([typeof f.data === 'string' ? f.data : new Uint8Array(f.data)]), f.name);
      return json(await fetch(url, { method: 'POST', body: form, dispatcher }), url);
    },
    async portalToken(username = 'admin', password = PORTAL_ADMIN_PASSWORD) {
      const t = await call(`${portalUrl}/sharing/rest/generateToken`, {
        username,
        password,
        client: 'requestip',
      });
      assert.ok(t.token, `no portal token for ${username}: ${JSON.stringify(t)}`);
      return t.token as string;
    },
    serverToken: (token, serverUrl = s.server.root) =>
      call(`${portalUrl}/sharing/rest/generateToken`, { token, serverUrl, f: 'json' }),
    async federate(token) {
      const form = {
        url: s.server.root,
        username: 'admin',
        password: s.server.adminPassword,
        token,
      };
      const untrusted = await call(`${portalUrl}/portaladmin/federation/servers/federate`, form);
      const answer = await call(`${portalUrl}/portaladmin/federation/servers/federate`, {
        ...form,
        trustPresentedCertificate: String(untrusted.fingerprintToConfirm),
      });
      return { untrusted, answer };
    },
    async restartServer(opts = {}) {
      const port = s.server.port;
      await s.server.stop(opts);
      s.server = await startGisServerProcess(serverHome, { port });
    },
    async restartPortal() {
      await s.portal.stop();
      s.portal = await startPortalProcess(portalHome, portalEnv, { port: portalPort });
      assert.equal(s.portal.base, portalUrl);
    },
    async close() {
      await Promise.all([s.server?.stop(), s.portal?.stop()]);
      await dispatcher.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sites;
}
