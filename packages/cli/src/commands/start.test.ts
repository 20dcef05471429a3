/**
 * `meridian start`: the portal role's command runs the portal until SIGTERM or SIGINT, then
 * closes it and exits 0; its banner tells how to trust the CA of the same data directory.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch } from 'undici';
import { cli, root } from './test-cli.ts';

/** Starts `meridian start` and resolves once its banner names the URL. */
function start(home: string) {
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
    { cwd: root, env: { ...process.env, MERIDIAN_LOG_LEVEL: 'silent' } },
  );
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      const url = /running at (https:\/\/\S+)\/home\//.exec(stdout)?.[1];
      if (url && stdout.includes('NODE_EXTRA_CA_CERTS')) resolve(url);
    });
    void exited.then(() => reject(new Error(`start exited early:\n${stdout}${stderr}`)));
  });
  return { child, running, exited, output: () => stdout };
}

describe('meridian start', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'meridian-cli-start-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    test(`serves until ${signal}, then stops and exits 0`, async () => {
      const portal = start(home);
      const url = await portal.running;
      const ca = await cli(['trust', 'export-ca', '--home', home]);
      assert.equal(ca.code, 0, ca.stderr);
      const dispatcher = new Agent({ connect: { ca: ca.stdout } });
      const info = await (await fetch(`${url}/sharing/rest/info?f=json`, { dispatcher })).json();
      await dispatcher.close();
      assert.ok((info as { owningSystemUrl?: string }).owningSystemUrl, JSON.stringify(info));
      // The line to trust the CA names the same data directory.
      assert.match(
        portal.output(),
        new RegExp(`\\n {2}meridian trust export-ca --home ${home} > meridian-ca\\.pem\\n`),
      );
      portal.child.kill(signal);
      assert.deepEqual(await portal.exited, { code: 0, signal: null });
    });
});
