import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, type Dispatcher, FormData, fetch as undiciFetch } from 'undici';
import type { Config } from '../src/kernel/config/load.ts';
import { loadPortalConfig, type RunningPortal, startPortal } from '../src/roles/portal.ts';
import { createPgDatabase } from './pg-databases.ts';

export const ADMIN_PASSWORD = 'Adm1n-test-password!';

export interface TestPortal extends RunningPortal {
  home: string;
  config: Config;
  /** An undici dispatcher that trusts this portal's CA (and nothing else). */
  dispatcher: Dispatcher;
  /** fetch against the portal, trusting its CA. `path` may be absolute or start with '/'. */
  fetch(path: string, init?: Parameters<typeof undiciFetch>[1]): ReturnType<typeof undiciFetch>;
  /** POST form fields (or GET when method is 'GET') and parse the JSON answer. */
  call(
    path: string,
    fields?: Record<string, string | number | boolean>,
    opts?: { method?: 'GET' | 'POST'; headers?: Record<string, string> },
    // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary ArcGIS JSON answers.
  ): Promise<any>;
  /** generateToken for a user. */
  token(username?: string, password?: string): Promise<string>;
}

export interface TestPortalOptions {
  database?: 'sqlite' | 'postgres';
  /** Use an existing PostgreSQL database (for several nodes on one database). */
  databaseUrl?: string;
  home?: string;
  /**
   * Copy this node's secrets.key (a second node on the same database needs the same key) and
   * use its files directory (the nodes of one database share one file store).
   */
  secretsKeyFrom?: string;
  overrides?: Record<string, unknown>;
}

/** Starts a real portal over HTTPS on loopback with its own CA, in a temporary data directory. */
export async function startTestPortal(opts: TestPortalOptions = {}): Promise<TestPortal> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'meridian-test-'));
  if (opts.secretsKeyFrom) copyFileSync(join(opts.secretsKeyFrom, 'secrets.key'), join(home, 'secrets.key'));
  let dbUrl = opts.databaseUrl ?? '';
  let dropDb: (() => Promise<void>) | undefined;
  if (!dbUrl && opts.database === 'postgres') {
    const pgdb = await createPgDatabase();
    dbUrl = pgdb.url;
    dropDb = pgdb.drop;
  }
  // A second node of one database shares the first node's file store, as several nodes must.
  const sharedFiles = opts.secretsKeyFrom ? { 'content.filesDir': join(opts.secretsKeyFrom, 'files') } : {};
  const config = loadPortalConfig({
    env: {},
    overrides: {
      ...sharedFiles,
      home,
      'https.port': 0,
      'http.port': 0,
      bind: '127.0.0.1',
      'admin.password': ADMIN_PASSWORD,
      'database.url': dbUrl,
      'log.level': process.env.MERIDIAN_TEST_LOG ?? 'silent',
      'outbound.allowLoopback': true,
      ...opts.overrides,
    },
  });
  const portal = await startPortal(config, { logger: { level: config.log.level } });
  const dispatcher = new Agent({ connect: { ca: portal.caCertPem }, keepAliveTimeout: 1000 });
  const fetchFn: TestPortal['fetch'] = (path, init) =>
    undiciFetch(path.startsWith('http') ? path : `${portal.url}${path}`, { dispatcher, ...init });
  const call: TestPortal['call'] = async (path, fields = {}, o = {}) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ f: 'json', ...fields })) params.set(k, String(v));
    const res =
      o.method === 'GET'
        ? await fetchFn(`${path}?${params}`, { headers: o.headers ?? {} })
        : await fetchFn(path, {
            method: 'POST',
            body: params.toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded', ...(o.headers ?? {}) },
          });
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      throw new Error(`${path} answered HTTP ${res.status} with non-JSON: ${text.slice(0, 200)}`);
    }
  };
  const token: TestPortal['token'] = async (username = 'admin', password = ADMIN_PASSWORD) => {
    const r = await call('/sharing/rest/generateToken', { username, password, client: 'requestip' });
    if (!r.token) throw new Error(`generateToken failed for ${username}: ${JSON.stringify(r)}`);
    return r.token as string;
  };
  return {
    ...portal,
    home,
    config,
    dispatcher,
    fetch: fetchFn,
    call,
    token,
    async close() {
      await portal.close();
      await (dispatcher as Agent).close();
      await dropDb?.();
      if (!opts.home) rmSync(home, { recursive: true, force: true });
    },
  };
}

export { FormData };
