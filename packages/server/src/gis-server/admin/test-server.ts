/** For the administrator API's tests: a GIS server on loopback (test-gis-server.ts) and calls with its administrator's token. */
import type { Agent } from 'undici';
import { FormData, fetch } from 'undici';
import type { RunningGisServer } from '../../roles/gis-server.ts';
import { startLoopbackGisServer } from '../test-gis-server.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read ArcGIS JSON answers of many shapes.
type Json = any;

export interface TestGisServer {
  server: RunningGisServer;
  home: string;
  dispatcher: Agent;
  /** A token of the server's administrator. */
  token: string;
  /** The machine name the server lists (its configured host name). */
  machine: string;
  /** POSTs form fields (with the admin token unless `token` is given) and answers the JSON. */
  call(path: string, params?: Record<string, string>): Promise<Json>;
  /** POSTs a multipart form: text fields, then file parts (name → bytes). */
  upload(
    path: string,
    fields: Record<string, string>,
    files?: Record<string, Uint8Array | string>,
  ): Promise<Json>;
  /** POSTs without a token (a form or a multipart body) and answers the JSON. */
  anonymous(path: string, body?: FormData | URLSearchParams): Promise<Json>;
  /** The raw answer of a GET with the admin token. */
  get(path: string): Promise<Response>;
  close(): Promise<void>;
}

export interface TestGisServerOptions {
  /** A PostgreSQL database (several nodes of one server share it); default SQLite in the home. */
  databaseUrl?: string;
  /** Another node's home: its secrets key (which opens the sealed keys) and its admin password. */
  sameServerAs?: string;
}

export async function startTestGisServer(opts: TestGisServerOptions = {}): Promise<TestGisServer> {
  const started = await startLoopbackGisServer({
    ...(opts.sameServerAs ? { sameServerAs: opts.sameServerAs } : {}),
    overrides: opts.databaseUrl ? { 'database.url': opts.databaseUrl } : {},
  });
  const { server, home, dispatcher, adminToken: token } = started;
  const post = async (path: string, body: URLSearchParams | FormData): Promise<Json> =>
    (await fetch(`${server.url}${path}`, { method: 'POST', body, dispatcher })).json();
  return {
    server,
    home,
    dispatcher,
    token,
    machine: started.config.hostname,
    call: (path, params = {}) => post(path, new URLSearchParams({ f: 'json', token, ...params })),
    upload: (path, fields, files = {}) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ f: 'json', token, ...fields })) form.set(k, v);
      for (const [k, v] of Object.entries(files))
        form.set(k, new Blob([typeof v === 'string' ? v : new Uint8Array(v)]), `${k}.bin`);
      return post(path, form);
    },
    anonymous: (path, body = new URLSearchParams({ f: 'json' })) => post(path, body),
    get: async (path) =>
      (await fetch(`${server.url}${path}${path.includes('?') ? '&' : '?'}token=${token}`, {
        dispatcher,
      })) as unknown as Response,
    close: () => started.close(),
  };
}
