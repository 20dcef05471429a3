import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Agent, fetch } from 'undici';
import { loadConfig } from '../config/load.ts';
import { startPortal } from '../start-portal.ts';

test('tokens, passwords and session cookies never reach the log (log.level info)', async () => {
  const home = mkdtempSync(join(tmpdir(), 'meridian-log-'));
  let log = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      log += chunk.toString();
      cb();
    },
  });
  const password = 'L0g-secret-password';
  const config = loadConfig({
    env: {},
    overrides: {
      home,
      'https.port': 0,
      'http.port': 0,
      bind: '127.0.0.1',
      'admin.password': password,
      'log.level': 'info',
      'outbound.allowLoopback': true,
    },
  });
  const portal = await startPortal(config, { logger: { level: 'info', stream } });
  const dispatcher = new Agent({ connect: { ca: portal.caCertPem } });
  const go = (path: string, init: Parameters<typeof fetch>[1] = {}) =>
    fetch(`${portal.url}${path}`, { dispatcher, ...init }).then((r) => r.text().then((t) => ({ r, t })));
  try {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const { t } = await go('/sharing/rest/generateToken', {
      method: 'POST',
      headers: form,
      body: `username=admin&password=${password}&f=json`,
    });
    const token = JSON.parse(t).token as string;
    await go(`/sharing/rest/generateToken?username=admin&password=${password}&f=json`);
    await go('/sharing/rest/generateToken', {
      method: 'POST',
      headers: form,
      body: 'username=admin&password=Wr0ng-password-x&f=json',
    });
    await go(`/sharing/rest/community/self?f=json&token=${token}`);
    await go(`/sharing/rest/community/self?f=json&token=${token}x`);
    await go('/sharing/rest/community/self?f=json', { headers: { authorization: `Bearer ${token}` } });
    await go('/sharing/rest/community/self?f=json', {
      headers: { 'x-esri-authorization': `Bearer ${token}` },
    });
    const { r } = await go('/sharing/rest/web/session', {
      method: 'POST',
      headers: form,
      body: `username=admin&password=${password}&f=json`,
    });
    const cookie = /meridian_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')![1]!;
    await go('/sharing/rest/community/self?f=json', { headers: { cookie: `meridian_session=${cookie}` } });
    await go('/portaladmin/security/users/createUser', {
      method: 'POST',
      headers: form,
      body: `username=logged01&password=Cr3ated-password&email=l@example.org&role=org_user&token=${token}&f=json`,
    });
  } finally {
    await portal.close();
    await dispatcher.close();
    rmSync(home, { recursive: true, force: true });
  }
  assert.match(log, /generateToken/, 'requests are logged');
  assert.match(log, /\[redacted\]/, 'secret query parameters are redacted');
  for (const secret of [password, 'Wr0ng-password-x', 'Cr3ated-password'])
    assert.ok(!log.includes(secret), `log contains ${secret}`);
  assert.ok(!/v1\.[\w-]{8,32}\.[\w-]{20,}/.test(log), 'log contains a token');
});
