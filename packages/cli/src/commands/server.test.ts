/**
 * `meridian server`: the GIS server role's command. On its own it starts a GIS server on its own
 * data directory, CA and certificate, serving the ArcGIS REST root and no portal route; its
 * commands are its modules' (trust, cert, users), written `meridian server COMMAND`.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch } from 'undici';
import { cli, serveCommand } from './test-cli.ts';

/** Starts `meridian server` (no command: start); `running` resolves with its URL once the banner is out. */
function startServer(home: string) {
  return serveCommand(['server'], home, {
    ready: (out) =>
      out.includes('gis-server-ca.pem')
        ? /running at (https:\/\/\S+)\/arcgis\/rest\/services\n/.exec(out)?.[1]
        : undefined,
  });
}

/** What a GIS server started by `meridian server` serves, and how its banner says to trust it. */
async function checkServer(server: ReturnType<typeof startServer>, home: string): Promise<void> {
  const url = await server.running;
  // The banner's line to trust its CA is a `meridian server` command on the same directory.
  assert.match(
    server.output(),
    new RegExp(`\\n {2}meridian server trust export-ca --home ${home} > gis-server-ca\\.pem\\n`),
  );
  const ca = await cli(['server', 'trust', 'export-ca', '--home', home]);
  assert.equal(ca.code, 0, ca.stderr);
  assert.match(new X509Certificate(ca.stdout).subject, /CN=/);
  const dispatcher = new Agent({ connect: { ca: ca.stdout } });
  try {
    const info = (await (await fetch(`${url}/arcgis/rest/info?f=json`, { dispatcher })).json()) as {
      authInfo?: { tokenServicesUrl?: string };
    };
    assert.equal(info.authInfo?.tokenServicesUrl, `${url}/arcgis/tokens/generateToken`);
    // A GIS server serves no Sharing API: ArcGIS's answer to an unknown URL.
    const portalRoute = (await (await fetch(`${url}/sharing/rest/info?f=json`, { dispatcher })).json()) as {
      error?: { message?: string };
    };
    assert.match(portalRoute.error?.message ?? '', /Invalid URL/);
  } finally {
    await dispatcher.close();
  }
}

describe('meridian server', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'meridian-cli-server-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  test('starts a GIS server on its own CA, serving the REST root and no portal route, until SIGTERM', async () => {
    const server = startServer(home);
    try {
      await checkServer(server, home);
    } finally {
      server.child.kill('SIGTERM');
    }
    assert.deepEqual(await server.exited, { code: 0, signal: null });
  });

  test('its help is written as `meridian server` and lists its modules’ commands, not the portal’s', async () => {
    const help = await cli(['server', '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^meridian server — the Meridian GIS server\n/);
    assert.match(help.stdout, /Usage: meridian server COMMAND/);
    for (const command of [
      'start',
      'trust export-ca',
      'cert list',
      'users list',
      'publish',
      'services',
      'delete-service',
      'federation',
      'jobs list',
    ])
      assert.match(help.stdout, new RegExp(`\\n {2}${command} `), command);
    for (const portalOnly of ['federations', 'portal', 'saml'])
      assert.doesNotMatch(help.stdout, new RegExp(`\\n {2}${portalOnly} `), `${portalOnly} is the portal’s`);
    const start = await cli(['server', 'start', '--help']);
    assert.match(start.stdout, /\n {2}meridian server start\n/);
    // The portal's help points at the GIS server's.
    assert.match((await cli(['help'])).stdout, /\n {2}server \[COMMAND\] +The GIS server role/);
  });

  test('a usage error names `meridian server`', async () => {
    const r = await cli(['server', 'frobnicate']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /^meridian server: unknown command 'frobnicate'/);
  });
});
