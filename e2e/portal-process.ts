/** A portal node as its own process (`meridian start`), for tests of what only processes show. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, fetch } from 'undici';
import { cli, root } from '../packages/cli/src/commands/test-cli.ts';

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
  /** A token for the administrator. */
  token(password: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts `meridian start --home <home>` with `env` (MERIDIAN_DATABASE_URL, …) and waits for its banner. */
export async function startPortalProcess(home: string, env: NodeJS.ProcessEnv): Promise<PortalProcess> {
  const fullEnv = { ...process.env, ...env };
  const child = spawn(
    join(root, 'node_modules/.bin/node'),
    [
      join(root, 'packages/cli/src/main.ts'),
      'start',
      '--home',
      home,
      '--https-port',
      '0',
      '--http-mode',
      'off',
      '--bind',
      '127.0.0.1',
    ],
    { cwd: root, env: { ...fullEnv, MERIDIAN_LOG_LEVEL: 'warn' } },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; !/running at (https:\/\/\S+)\/home\//.test(output); i++) {
    assert.ok(i < 600 && child.exitCode === null, `the portal did not start:\n${output}`);
    await sleep(100);
  }
  // With publicUrl set, the banner's URL is the site's; the node's own port is on its own line.
  const ownPort = /listens for HTTPS on port (\d+)/.exec(output)?.[1];
  const base = ownPort
    ? `https://localhost:${ownPort}`
    : /running at (https:\/\/\S+)\/home\//.exec(output)![1]!;
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
    output: () => output,
    async token(password) {
      const answer = (await (
        await fetch(`${base}/sharing/rest/generateToken`, {
          method: 'POST',
          dispatcher,
          body: new URLSearchParams({ username: 'admin', password, client: 'requestip', f: 'json' }),
        })
      ).json()) as { token?: string };
      assert.ok(answer.token, JSON.stringify(answer));
      return answer.token;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      await dispatcher.close();
    },
  };
}
