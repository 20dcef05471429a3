/**
 * Any node finishes what another began: the sign-in page served by node A is submitted to node
 * B, the code is exchanged on A, and a replayed code on B revokes the access token on A too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../../identity/test-users.ts';
import { authorize, pkcePair, signIn, token } from './test-oauth.ts';

describe('OAuth across two nodes on one PostgreSQL database', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  before(async () => {
    pg = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: pg.url });
    b = await startTestPortal({ databaseUrl: pg.url, secretsKeyFrom: a.home });
    await addUser(a, 'twonodeoauth');
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await pg?.drop();
  });

  test('begun on A, signed in on B, exchanged on A; a replay on B revokes the token on A', async () => {
    const callback = `${a.kernel.baseUrl()}/home/oauth-callback`;
    const { verifier, challenge } = pkcePair();
    const page = await authorize(a, {
      client_id: 'arcgisonline',
      response_type: 'code',
      redirect_uri: callback,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'two',
    });
    assert.ok(page.oauthState);
    const done = await signIn(b, page.oauthState, { username: 'twonodeoauth', password: USER_PASSWORD });
    assert.equal(done.status, 303, done.body);
    const back = new URL(done.location!);
    assert.equal(back.searchParams.get('state'), 'two');
    const fields = {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: back.searchParams.get('code')!,
      redirect_uri: callback,
      code_verifier: verifier,
    };
    const answer = await token(a, fields);
    const self = () =>
      a.call('/sharing/rest/community/self', { token: answer.access_token }, { method: 'GET' });
    assert.equal((await self()).username, 'twonodeoauth');
    const replay = await token(b, fields);
    assert.equal(replay.error?.messageCode, 'oauth.code_reused');
    const deadline = Date.now() + 2000;
    let code: number | undefined;
    while (Date.now() < deadline) {
      code = (await self()).error?.code;
      if (code === 498) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(code, 498, 'node A refuses the token once node B revoked its grant');
  });
});
