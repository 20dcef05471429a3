/**
 * For the GIS server's tests: a real GIS server on loopback HTTPS (its own CA) on a data
 * directory (SQLite, or a PostgreSQL URL), a client that trusts its CA, and a token of its
 * administrator. The admin, federation and services test helpers add their calls to it.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { loadGisServerConfig, type RunningGisServer, startGisServer } from '../roles/gis-server.ts';

export interface LoopbackGisServer {
  server: RunningGisServer;
  config: ReturnType<typeof loadGisServerConfig>;
  home: string;
  /** Trusts the server's CA. */
  dispatcher: Agent;
  /** The administrator's password (the initial one of the server's first node). */
  adminPassword: string;
  /** A token of the administrator. */
  adminToken: string;
  /** Stops the server; removes the home unless it was given or keepHome. */
  close(opts?: { keepHome?: boolean }): Promise<void>;
}

export interface LoopbackGisServerOptions {
  /** The data directory (kept at close); default a new temporary one (removed at close). */
  home?: string;
  /** Settings besides the loopback listeners (e.g. database.url, outbound.allowLoopback). */
  overrides?: Record<string, unknown>;
  /** Another node's home: its secrets key (which opens the sealed keys) and its admin password. */
  sameServerAs?: string;
}

export async function startLoopbackGisServer(
  opts: LoopbackGisServerOptions = {},
): Promise<LoopbackGisServer> {
  const home = opts.home ?? mkdtempSync(join(tmpdir(), 'meridian-gis-'));
  if (opts.sameServerAs) copyFileSync(join(opts.sameServerAs, 'secrets.key'), join(home, 'secrets.key'));
  const config = loadGisServerConfig({
    env: {},
    overrides: {
      home,
      'https.port': 0,
      'http.port': 0,
      bind: '127.0.0.1',
      'log.level': 'silent',
      ...opts.overrides,
    },
  });
  const server = await startGisServer(config, { logger: false });
  const dispatcher = new Agent({ connect: { ca: server.caCertPem } });
  const close = async (o: { keepHome?: boolean } = {}) => {
    await dispatcher.close();
    await server.close();
    if (!o.keepHome && !opts.home) rmSync(home, { recursive: true, force: true });
  };
  try {
    const adminPassword = readFileSync(
      join(opts.sameServerAs ?? home, 'initial-admin-password'),
      'utf8',
    ).trim();
    const res = await fetch(`${server.url}/arcgis/admin/generateToken`, {
      method: 'POST',
      body: new URLSearchParams({
        username: 'admin',
        password: adminPassword,
        client: 'requestip',
        f: 'json',
      }),
      dispatcher,
    });
    const t = (await res.json()) as { token?: string };
    if (!t.token) throw new Error(`no admin token: ${JSON.stringify(t)}`);
    return { server, config, home, dispatcher, adminPassword, adminToken: t.token, close };
  } catch (err) {
    await close();
    throw err;
  }
}
