/**
 * security/tokens on a real GIS server: the lifetimes in force, an update that new tokens obey
 * at once, and every bad tokenManagerConfig refused with nothing changed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestGisServer, type TestGisServer } from './test-server.ts';

describe('GIS server admin: security/tokens', () => {
  let gis: TestGisServer;
  const TOKENS = '/arcgis/admin/security/tokens';
  const update = (config: unknown) =>
    gis.call(`${TOKENS}/update`, {
      tokenManagerConfig: typeof config === 'string' ? config : JSON.stringify(config),
    });
  /** A new token of the administrator: its lifetime in minutes (rounded). */
  const newTokenMinutes = async (expiration?: number): Promise<number> => {
    const home = gis.server.kernel.config.home;
    const password = readFileSync(join(home, 'initial-admin-password'), 'utf8').trim();
    const t = await gis.call('/arcgis/tokens/generateToken', {
      username: 'admin',
      password,
      client: 'requestip',
      ...(expiration ? { expiration: String(expiration) } : {}),
    });
    assert.ok(t.token, JSON.stringify(t));
    return Math.round((t.expires - Date.now()) / 60_000);
  };

  before(async () => {
    gis = await startTestGisServer();
  });
  after(async () => {
    await gis?.close();
  });

  test('answers the configured lifetimes until they are set; never a key', async () => {
    const c = await gis.call(TOKENS);
    assert.deepEqual(c, {
      tokenManagerConfig: { type: 'BUILTIN', properties: { longTimeout: 1440, shortTimeout: 60 } },
    });
    assert.equal(await newTokenMinutes(), 60);
  });

  test('an update changes the lifetime of the next token and the longest one a client gets', async () => {
    const r = await update({ type: 'BUILTIN', properties: { longTimeout: '30', shortTimeout: 5 } });
    assert.deepEqual(r, { status: 'success' });
    assert.deepEqual((await gis.call(TOKENS)).tokenManagerConfig.properties, {
      longTimeout: 30,
      shortTimeout: 5,
    });
    assert.equal(await newTokenMinutes(), 5, 'shortTimeout: a token asked for without expiration');
    assert.equal(await newTokenMinutes(100), 30, 'longer requests are clamped to longTimeout');
    assert.equal(await newTokenMinutes(12), 12);
    // A timeout left out keeps its value.
    await update({ type: 'BUILTIN', properties: { shortTimeout: 7 } });
    assert.deepEqual((await gis.call(TOKENS)).tokenManagerConfig.properties, {
      longTimeout: 30,
      shortTimeout: 7,
    });
    assert.equal(await newTokenMinutes(), 7);
  });

  test('a sharedKey is refused with the reason, and nothing changes', async () => {
    const before = await gis.call(TOKENS);
    const r = await update({
      type: 'BUILTIN',
      properties: { sharedKey: 'my really secret passphrase', longTimeout: 2880, shortTimeout: 120 },
    });
    assert.equal(r.status, 'error');
    assert.equal(r.errorCode, 'gis.shared_key_unsupported');
    assert.match(r.messages[0], /own keys/);
    assert.deepEqual(await gis.call(TOKENS), before);
    // An empty sharedKey is no key: the timeouts apply.
    assert.equal(
      (await update({ type: 'BUILTIN', properties: { sharedKey: '', shortTimeout: 9 } })).status,
      'success',
    );
    assert.equal((await gis.call(TOKENS)).tokenManagerConfig.properties.shortTimeout, 9);
  });

  test('bad configurations are refused, naming what is wrong; nothing changes', async () => {
    const before = await gis.call(TOKENS);
    const cases: [unknown, RegExp][] = [
      ['{not json', /not JSON/],
      [[1, 2], /JSON object/],
      [{ type: 'LDAP', properties: { shortTimeout: 5 } }, /BUILTIN/],
      [{ type: 'BUILTIN' }, /properties/],
      [
        { type: 'BUILTIN', properties: { shortTimeout: 0 } },
        /shortTimeout must be a whole number of minutes from 1 to 20160/,
      ],
      [{ type: 'BUILTIN', properties: { longTimeout: 20161 } }, /longTimeout must be/],
      [{ type: 'BUILTIN', properties: { longTimeout: 'a day' } }, /longTimeout must be/],
      [{ type: 'BUILTIN', properties: { shortTimeout: 1.5 } }, /shortTimeout must be/],
      [
        { type: 'BUILTIN', properties: { longTimeout: 10, shortTimeout: 20 } },
        /shortTimeout \(20 minutes\) must not be longer than longTimeout \(10/,
      ],
      [{ type: 'BUILTIN', properties: { timeout: 10 } }, /Unknown tokenManagerConfig properties: timeout/],
    ];
    for (const [config, message] of cases) {
      const r = await update(config);
      assert.equal(r.status, 'error', JSON.stringify(config));
      assert.equal(r.errorCode, 'gis.token_config_invalid', JSON.stringify(r));
      assert.match(r.messages[0], message);
    }
    const missing = await gis.call(`${TOKENS}/update`);
    assert.match(missing.messages[0], /Missing required parameter 'tokenManagerConfig'/);
    const extra = await gis.call(`${TOKENS}/update`, { tokenManagerConfig: '{}', sharedKey: 'x' });
    assert.match(extra.messages[0], /Unknown parameter 'sharedKey'/);
    assert.deepEqual(await gis.call(TOKENS), before);
  });

  test('only the administrator reads or changes the token manager', async () => {
    const r = await gis.anonymous(TOKENS);
    assert.deepEqual([r.status, r.code], ['error', 499]);
  });
});
