/**
 * `meridian start`: the portal role's command runs the portal until SIGTERM or SIGINT, then
 * closes it and exits 0; its banner tells how to trust the CA of the same data directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch } from 'undici';
import { cli, serveCommand } from './test-cli.ts';

/** Starts `meridian start`; `running` resolves once its banner names the URL. */
function start(home: string) {
  return serveCommand(['start'], home, {
    ready: (out) =>
      out.includes('NODE_EXTRA_CA_CERTS') ? /running at (https:\/\/\S+)\/home\//.exec(out)?.[1] : undefined,
  });
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
