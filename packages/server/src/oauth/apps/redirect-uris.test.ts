import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import {
  canonicalRedirectUri,
  MAX_REDIRECT_URIS,
  parseRegisteredRedirectUris,
  redirectUriMatches,
} from './redirect-uris.ts';
import { OOB_REDIRECT } from './registry.ts';

const REGISTERED = ['https://portal.example.com/cb'];

describe('redirectUriMatches', () => {
  test('the registered URI matches itself, and after canonicalisation of scheme, host and default port', () => {
    assert.ok(redirectUriMatches(REGISTERED, 'https://portal.example.com/cb'));
    assert.ok(redirectUriMatches(REGISTERED, 'HTTPS://Portal.Example.COM/cb'));
    assert.ok(redirectUriMatches(REGISTERED, 'https://portal.example.com:443/cb'));
    assert.ok(redirectUriMatches(['https://portal.example.com:443/cb'], 'https://portal.example.com/cb'));
    assert.ok(redirectUriMatches(['http://localhost:80/cb'], 'http://localhost/cb'));
    assert.ok(redirectUriMatches(['https://portal.example.com'], 'https://portal.example.com/'));
    assert.ok(redirectUriMatches(['https://a.example.com/cb?x=1'], 'https://a.example.com/cb?x=1'));
    assert.ok(redirectUriMatches([OOB_REDIRECT], OOB_REDIRECT));
    assert.ok(redirectUriMatches(['com.example.app:/cb'], 'com.example.app:/cb'));
    assert.ok(redirectUriMatches(['myapp://callback'], 'MyApp://callback'));
    assert.ok(redirectUriMatches(['http://[::1]:8080/cb'], 'http://[::1]:8080/cb'));
  });

  test('refuses a look-alike host (a longer domain, a suffix, a subdomain)', () => {
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com.evil/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com.evil.com/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://evilportal.example.com/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://x.portal.example.com/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.co/cb'));
  });

  test('refuses another port', () => {
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com:8443/cb'));
    assert.ok(!redirectUriMatches(['https://portal.example.com:8443/cb'], 'https://portal.example.com/cb'));
    assert.ok(!redirectUriMatches(['http://localhost:3000/cb'], 'http://localhost:3001/cb'));
    assert.ok(!redirectUriMatches(['http://localhost:3000/cb'], 'http://localhost/cb'));
  });

  test('refuses a longer or shorter path (no prefix matching)', () => {
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/cb/x'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/c'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/cbx'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/'));
    assert.ok(!redirectUriMatches(['https://portal.example.com/'], 'https://portal.example.com/cb'));
  });

  test('refuses user info that puts another host behind the registered one', () => {
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com@evil.com/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://user:pw@portal.example.com/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com\\@evil.com/cb'));
  });

  test('refuses trailing-slash differences both ways', () => {
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/cb/'));
    assert.ok(!redirectUriMatches(['https://portal.example.com/cb/'], 'https://portal.example.com/cb'));
  });

  test('refuses http for https and https for http', () => {
    assert.ok(!redirectUriMatches(REGISTERED, 'http://portal.example.com/cb'));
    assert.ok(!redirectUriMatches(['http://localhost/cb'], 'https://localhost/cb'));
  });

  test('path and query are case-sensitive and compared as sent', () => {
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/CB'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/%63b'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/x/../cb'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/cb?x=1'));
    assert.ok(!redirectUriMatches(['https://a.example.com/cb?x=1'], 'https://a.example.com/cb?x=2'));
    assert.ok(!redirectUriMatches(['https://a.example.com/cb?x=1'], 'https://a.example.com/cb?X=1'));
  });

  test('a presented URI with a fragment, a wildcard or junk matches nothing', () => {
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/cb#x'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/cb#'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://*.example.com/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, ' https://portal.example.com/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, 'https://portal.example.com/cb\n'));
    assert.ok(!redirectUriMatches(REGISTERED, ''));
    assert.ok(!redirectUriMatches(REGISTERED, '/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, '//portal.example.com/cb'));
    assert.ok(!redirectUriMatches([], 'https://portal.example.com/cb'));
  });

  test('the out-of-band URI matches only itself', () => {
    assert.ok(!redirectUriMatches([OOB_REDIRECT], 'urn:ietf:wg:oauth:2.0:oobx'));
    assert.ok(!redirectUriMatches([OOB_REDIRECT], 'https://portal.example.com/cb'));
    assert.ok(!redirectUriMatches(REGISTERED, OOB_REDIRECT));
  });

  test('canonical forms', () => {
    assert.equal(canonicalRedirectUri('HTTPS://Portal.Example.com:443'), 'https://portal.example.com/');
    assert.equal(
      canonicalRedirectUri('https://portal.example.com:0443/a?B=C'),
      'https://portal.example.com/a?B=C',
    );
    assert.equal(canonicalRedirectUri('https://portal.example.com?x'), 'https://portal.example.com/?x');
    assert.equal(canonicalRedirectUri('https://portal.example.com/cb#f'), undefined);
  });
});

function refusal(
  value: string | unknown[],
  appType: 'browser' | 'native' | 'server' | 'multiple' = 'browser',
) {
  try {
    parseRegisteredRedirectUris(value, appType);
  } catch (err) {
    assert.ok(isMeridianError(err));
    assert.equal(err.code, 'oauth.redirect_uri_invalid');
    return err.message;
  }
  assert.fail(`accepted ${JSON.stringify(value)}`);
}

describe('parseRegisteredRedirectUris', () => {
  test('a JSON array of acceptable URIs, duplicates dropped, as arcgis-rest-js sends it', () => {
    assert.deepEqual(
      parseRegisteredRedirectUris(
        JSON.stringify([
          'https://app.example.com/cb',
          'HTTPS://app.example.com:443/cb',
          OOB_REDIRECT,
          'http://localhost:3000/',
          'http://127.0.0.1:8080/cb',
          'http://[::1]/cb',
        ]),
        'browser',
      ),
      [
        'https://app.example.com/cb',
        OOB_REDIRECT,
        'http://localhost:3000/',
        'http://127.0.0.1:8080/cb',
        'http://[::1]/cb',
      ],
    );
    assert.deepEqual(parseRegisteredRedirectUris('[]', 'server'), []);
    assert.deepEqual(parseRegisteredRedirectUris('', 'server'), []);
    assert.deepEqual(parseRegisteredRedirectUris('https://app.example.com/cb', 'browser'), [
      'https://app.example.com/cb',
    ]);
  });

  test('private-use schemes for native and multiple apps only', () => {
    const native = ['com.example.app:/oauth2redirect', 'myapp://callback', 'arcgis-collector://auth/'];
    assert.deepEqual(parseRegisteredRedirectUris(JSON.stringify(native), 'native'), native);
    assert.deepEqual(parseRegisteredRedirectUris(JSON.stringify(native), 'multiple'), native);
    assert.match(
      refusal('["myapp://callback"]', 'browser'),
      /'myapp:\/\/callback'.*only for native and multiple apps/,
    );
    assert.match(
      refusal('["com.example.app:/cb"]', 'server'),
      /only for native and multiple apps, not server/,
    );
  });

  test('each refusal names the URI and the rule', () => {
    assert.match(
      refusal('["http://app.example.com/cb"]'),
      /'http:\/\/app\.example\.com\/cb'.*http is allowed only for localhost/,
    );
    assert.match(
      refusal('["https://app.example.com/cb#x"]'),
      /'https:\/\/app\.example\.com\/cb#x'.*fragment/,
    );
    assert.match(refusal('["https://user@app.example.com/cb"]'), /user info/);
    assert.match(refusal('["https://app.example.com@evil.com/cb"]'), /user info/);
    assert.match(refusal('["myapp://user@callback"]', 'native'), /user info/);
    assert.match(refusal('["https://*.example.com/cb"]'), /wildcard/);
    assert.match(refusal('["*"]'), /wildcard/);
    assert.match(refusal('["/cb"]'), /not an absolute URI/);
    assert.match(refusal('["https:/app.example.com"]'), /no host/);
    assert.match(refusal('["https://app.example.com:99999/cb"]'), /port/);
    assert.match(refusal('["https://app_.exa mple.com/cb"]'), /spaces/);
    assert.match(refusal('["https://app.example.com\\\\@evil.com/"]'), /backslash/);
    assert.match(refusal('["javascript://alert(1)"]', 'native'), /javascript: is not a private-use scheme/);
    assert.match(refusal('["data:text/html,x"]', 'native'), /data: is not a private-use scheme/);
    assert.match(refusal('["file:///etc/passwd"]', 'native'), /file: is not a private-use scheme/);
    assert.match(refusal('["urn:ietf:wg:oauth:2.0:other"]', 'native'), /only urn: redirect/);
    assert.match(refusal(`["https://app.example.com/${'a'.repeat(2100)}"]`), /limit is 2048/);
    assert.match(
      refusal(
        JSON.stringify(Array.from({ length: MAX_REDIRECT_URIS + 1 }, (_, i) => `https://a.example.com/${i}`)),
      ),
      /limit is 50/,
    );
    assert.match(refusal('[1]'), /only strings/);
    assert.match(refusal('{"a":1}'), /JSON array/);
    assert.match(refusal('[not json'), /not valid JSON/);
    assert.match(refusal('https://a.example.com/1,https://a.example.com/2'), /JSON array/);
  });
});
