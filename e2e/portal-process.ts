/** A portal node as its own process (`meridian start`), for tests of what only processes show. */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { Agent, fetch } from 'undici';
import { cli, serveCommand } from '../packages/cli/src/commands/test-cli.ts';

export interface PortalProcess {
  child: ChildProcess;
  /** https://<host>:<port> as the banner names it. */
  base: string;
  port: number;
  /** The portal CA's certificate (PEM). */
  caPem: string;
  /** Trusts the portal CA only. */
  dispatcher: Agent;
  output(): string;
  /** A token for the administrator (through `via`, e.g. an agent that also trusts a CA the portal serves a certificate of since). */
  token(password: string, via?: Agent): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `meridian start --home <home>` with `env` (MERIDIAN_DATABASE_URL, …) and waits for its
 * banner. `port` fixes the HTTPS port (a portal that restarts must come back at the same URL).
 */
export async function startPortalProcess(
  home: string,
  env: NodeJS.ProcessEnv,
  opts: { port?: number } = {},
): Promise<PortalProcess> {
  const fullEnv = { ...process.env, ...env };
  const serving = serveCommand(['start'], home, {
    env: { ...fullEnv, MERIDIAN_LOG_LEVEL: 'warn' },
    ready: (out) => (out.includes('NODE_EXTRA_CA_CERTS') ? out : undefined),
    ...(opts.port ? { httpsPort: opts.port } : {}),
  });
  const { child } = serving;
  const output = () => serving.output() + serving.errors();
  const banner = await serving.running;
  // With publicUrl set, the banner's URL is the site's; the node's own port is on its own line.
  const ownPort = /listens for HTTPS on port (\d+)/.exec(banner)?.[1];
  const base = ownPort
    ? `https://localhost:${ownPort}`
    : /running at (https:\/\/\S+)\/home\//.exec(banner)![1]!;
  const ca = await cli(['trust', 'export-ca', '--home', home], '', {
    env: { ...fullEnv, MERIDIAN_LOG_LEVEL: 'silent' },
  });
  assert.equal(ca.code, 0, ca.stderr);
  const dispatcher = new Agent({ connect: { ca: ca.stdout } });
  return {
    child,
    base,
    port: Number(new URL(base).port),
    caPem: ca.stdout,
    dispatcher,
    output,
    async token(password, via) {
      const answer = (await (
        await fetch(`${base}/sharing/rest/generateToken`, {
          method: 'POST',
          dispatcher: via ?? dispatcher,
          body: new URLSearchParams({ username: 'admin', password, client: 'requestip', f: 'json' }),
        })
      ).json()) as { token?: string };
      assert.ok(answer.token, JSON.stringify(answer));
      return answer.token;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await serving.exited;
      await dispatcher.close();
    },
  };
}
