/**
 * A GIS server as its own process (`meridian server`), with its own data directory and its own
 * certificate authority, for the federation and interoperability tests.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch } from 'undici';
import { freePort } from '../bench/processes.ts';
import { cli, type ServingCommand, serveCommand } from '../packages/cli/src/commands/test-cli.ts';

export interface GisServerProcess {
  serving: ServingCommand;
  home: string;
  /** https://localhost:<port> */
  base: string;
  /** The services root clients use: <base>/arcgis */
  root: string;
  port: number;
  /** The server CA's certificate (PEM). */
  caPem: string;
  /** Trusts the server's CA only. */
  dispatcher: Agent;
  /** The password of its initial administrator ("admin"). */
  adminPassword: string;
  output(): string;
  /** A token of this server for its administrator. */
  adminToken(): Promise<string>;
  /** Stops it (SIGTERM; SIGKILL with kill: true) and waits for the exit. */
  stop(opts?: { kill?: boolean }): Promise<void>;
}

/**
 * Starts `meridian server --home <home>` on a fixed free port (so that a restart comes back at
 * the same URL: pass `port` to restart) and waits for its banner.
 */
export async function startGisServerProcess(
  home: string,
  opts: { env?: NodeJS.ProcessEnv; port?: number } = {},
): Promise<GisServerProcess> {
  const env = { ...process.env, MERIDIAN_LOG_LEVEL: 'warn', ...opts.env };
  const port = opts.port ?? (await freePort());
  const serving = serveCommand(['server'], home, {
    env,
    httpsPort: port,
    ready: (out) => /running at (https:\/\/\S+)\/arcgis\/rest\/services/.exec(out)?.[1],
  });
  const banner = await serving.running;
  const base = `https://localhost:${new URL(banner).port}`;
  const ca = await cli(['server', 'trust', 'export-ca', '--home', home], '', {
    env: { ...env, MERIDIAN_LOG_LEVEL: 'silent' },
  });
  assert.equal(ca.code, 0, ca.stderr);
  const dispatcher = new Agent({ connect: { ca: ca.stdout } });
  const adminPassword = readFileSync(join(home, 'initial-admin-password'), 'utf8').trim();
  return {
    serving,
    home,
    base,
    root: `${base}/arcgis`,
    port,
    caPem: ca.stdout,
    dispatcher,
    adminPassword,
    output: () => serving.output() + serving.errors(),
    async adminToken() {
      const answer = (await (
        await fetch(`${base}/arcgis/admin/generateToken`, {
          method: 'POST',
          dispatcher,
          body: new URLSearchParams({
            username: 'admin',
            password: adminPassword,
            client: 'requestip',
            f: 'json',
          }),
        })
      ).json()) as { token?: string };
      assert.ok(answer.token, JSON.stringify(answer));
      return answer.token;
    },
    async stop({ kill = false } = {}) {
      if (serving.child.exitCode === null) serving.child.kill(kill ? 'SIGKILL' : 'SIGTERM');
      await serving.exited;
      await dispatcher.close();
    },
  };
}
