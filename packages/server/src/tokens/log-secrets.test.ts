import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { Agent, fetch } from 'undici';
import { pkcePair } from '../oauth/flow/test-oauth.ts';
import { loadPortalConfig, startPortal } from '../roles/portal.ts';

async function runPortal(
  accessLog: boolean,
  requests: (go: Go, password: string, portal: { url: string; base: string }) => Promise<void>,
): Promise<string> {
  const home = mkdtempSync(join(tmpdir(), 'meridian-log-'));
  let log = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      log += chunk.toString();
      cb();
    },
  });
  const password = 'L0g-secret-password';
  const config = loadPortalConfig({
    env: {},
    overrides: {
      home,
      'https.port': 0,
      'http.port': 0,
      bind: '127.0.0.1',
      'admin.password': password,
      'log.level': 'info',
      'log.accessLog': accessLog,
      'outbound.allowLoopback': true,
    },
  });
  const portal = await startPortal(config, { logger: { level: 'info', stream } });
  const dispatcher = new Agent({ connect: { ca: portal.caCertPem } });
  const go = (path: string, init: Parameters<typeof fetch>[1] = {}) =>
    fetch(`${portal.url}${path}`, { dispatcher, ...init }).then((r) => r.text().then((t) => ({ r, t })));
  try {
    await requests(go, password, { url: portal.url, base: portal.kernel.baseUrl() });
  } finally {
    await portal.close();
    await dispatcher.close();
    rmSync(home, { recursive: true, force: true });
  }
  return log;
}

type Go = (path: string, init?: Parameters<typeof fetch>[1]) => Promise<{ r: Response; t: string }>;

test('tokens, passwords and session cookies never reach the log (log.level info, access log on)', async () => {
  const password = 'L0g-secret-password';
  let code = '';
  let verifier = '';
  const log = await runPortal(true, async (go, _password, portal) => {
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
    // The web UI's sign-in: authorize, the sign-in page, then the code for a session cookie.
    const pair = pkcePair();
    verifier = pair.verifier;
    const callback = `${portal.base}/home/oauth-callback`;
    const page = await go(
      `/sharing/rest/oauth2/authorize?${new URLSearchParams({
        client_id: 'arcgisonline',
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: pair.challenge,
        code_challenge_method: 'S256',
      })}`,
    );
    const oauthState = /name="oauth_state" value="([^"]+)"/.exec(page.t)![1]!;
    const signedIn = await go('/sharing/rest/oauth2/signin', {
      method: 'POST',
      redirect: 'manual',
      headers: { ...form, origin: portal.url },
      body: new URLSearchParams({ oauth_state: oauthState, username: 'admin', password }).toString(),
    });
    code = new URL(signedIn.r.headers.get('location')!).searchParams.get('code')!;
    const { r } = await go('/sharing/rest/oauth2/session', {
      method: 'POST',
      headers: { ...form, origin: portal.url },
      body: new URLSearchParams({
        code,
        code_verifier: verifier,
        redirect_uri: callback,
        f: 'json',
      }).toString(),
    });
    const cookie = /meridian_session=([^;]+)/.exec(r.headers.get('set-cookie') ?? '')![1]!;
    await go('/sharing/rest/community/self?f=json', { headers: { cookie: `meridian_session=${cookie}` } });
    await go(
      `/sharing/rest/oauth2/signout?client_id=arcgisonline&redirect_uri=${encodeURIComponent(callback)}`,
      {
        redirect: 'manual',
        headers: { cookie: `meridian_session=${cookie}` },
      },
    );
    await go('/portaladmin/security/users/createUser', {
      method: 'POST',
      headers: form,
      body: `username=logged01&password=Cr3ated-password&email=l@example.org&role=org_user&token=${token}&f=json`,
    });
    // Secret parameters whose names are percent-encoded or in another case, and the other
    // password parameters of the API, in the query string.
    await go(`/sharing/rest/community/self?f=json&%74oken=${token}`);
    await go(`/sharing/rest/community/self?f=json&TOKEN=${token}`);
    await go(
      `/sharing/rest/community/users/admin/update?f=json&oldPassword=${password}&password=Qu3ry-new-password`,
      { method: 'POST', headers: { authorization: `Bearer ${token}` } },
    );
    await go(
      `/portaladmin/security/sslCertificates/importExistingServerCertificate?alias=x&certPassword=Cert-pa55word&token=${token}`,
      { method: 'POST' },
    );
    // OAuth: the approval page's oauth_state (it shows a code once), and everything the token
    // endpoint takes that proves something.
    await go('/sharing/rest/oauth2/approval?oauth_state=Oauth-state-s3cret');
    await go(
      '/sharing/rest/oauth2/token?f=json&grant_type=authorization_code&client_id=arcgisonline&code=C0de-s3cret&code_verifier=Ver1fier-s3cret&client_secret=Cl1ent-s3cret&refresh_token=Refr3sh-s3cret',
      { method: 'POST' },
    );
  });
  assert.match(log, /generateToken/, 'requests are logged');
  assert.match(log, /\[redacted\]/, 'secret query parameters are redacted');
  for (const secret of [
    password,
    'Wr0ng-password-x',
    'Cr3ated-password',
    'Qu3ry-new-password',
    'Cert-pa55word',
    'Oauth-state-s3cret',
    'C0de-s3cret',
    'Ver1fier-s3cret',
    'Cl1ent-s3cret',
    'Refr3sh-s3cret',
    code,
    verifier,
  ])
    assert.ok(!log.includes(secret), `log contains ${secret}`);
  assert.ok(!/v1\.[\w-]{8,32}\.[\w-]{20,}/.test(log), 'log contains a token');
});

test('without log.accessLog, requests are not logged at info', async () => {
  const log = await runPortal(false, async (go) => {
    await go('/sharing/rest/info?f=json');
    await go('/sharing/rest/info?f=json&probe=1');
  });
  assert.doesNotMatch(log, /sharing\/rest\/info/, 'no access line at info');
  assert.match(log, /HTTPS listening at https:\/\//, 'the start line names https');
});
