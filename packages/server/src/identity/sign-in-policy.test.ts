import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { authorize, signIn } from '../oauth/flow/test-oauth.ts';
import { USER_PASSWORD } from './test-users.ts';

const IDP = 'https://idp.example.org/idp/shibboleth';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`sign-in policy: SAML administrators, built-in accounts and sign-in (${database})`, () => {
    let portal: TestPortal;
    let admin: string;
    const update = (fields: Record<string, string | boolean>, token = admin) =>
      portal.call('/sharing/rest/portals/self/update', { token, ...fields });
    const adminCall = (op: string, fields: Record<string, string>, token = admin) =>
      portal.call(`/portaladmin/security/users/${op}`, { token, ...fields });

    before(async () => {
      portal = await startTestPortal({ database });
      admin = await portal.token();
    });
    after(() => portal.close());

    test('createUser pre-registers SAML accounts (provider enterprise, idpUsername, idpEntityId)', async () => {
      const r = await adminCall('createUser', {
        username: 'saml.admin',
        email: 'saml.admin@example.org',
        role: 'org_user',
        provider: 'enterprise',
        idpUsername: 'sa-0001',
        idpEntityId: IDP,
      });
      assert.equal(r.status, 'success', JSON.stringify(r));
      const u = await portal.modules.identity.findUser('saml.admin');
      assert.equal(u?.provider, 'enterprise');
      assert.equal(u?.idp_username, 'sa-0001');
      assert.equal(u?.idp_entity_id, IDP);
      assert.equal(u?.password_hash, null);
      const dup = await adminCall('createUser', {
        username: 'other.name',
        email: 'x@example.org',
        role: 'org_user',
        provider: 'enterprise',
        idpUsername: 'sa-0001',
        idpEntityId: IDP,
      });
      assert.equal(dup.status, 'error');
      assert.match(dup.messages[0], /already has an account: 'saml.admin'/);
      // The ACS finds the pre-registered account in Invitation mode.
      const found = await portal.modules.identity.samlAccount({
        idpEntityId: IDP,
        nameId: 'sa-0001',
        signUpMode: 'Invitation',
        updateProfile: true,
      });
      assert.equal(found.username, 'saml.admin');
    });

    test('turning built-in sign-in off is refused without a SAML login, then without a SAML administrator', async () => {
      const noLogin = await update({ canSignInArcGIS: false });
      assert.equal(noLogin.error?.code, 400, JSON.stringify(noLogin));
      assert.match(noLogin.error.message, /no SAML login/);
      // The saml module sets canSignInIDP when a login is registered.
      await portal.modules.portal.settings.update({ canSignInIDP: true, idpName: 'Example IdP' } as never);
      const noAdmin = await update({ canSignInArcGIS: false });
      assert.match(noAdmin.error?.message ?? '', /no enabled administrator has a SAML account/);
      assert.equal(
        (await portal.call('/sharing/rest/portals/self', {}, { method: 'GET' })).canSignInArcGIS,
        true,
      );
    });

    test('an administrator makes a SAML account an administrator; the last administrator stays', async () => {
      assert.equal(
        (await adminCall('updateUserRole', { username: 'saml.admin', role: 'org_admin' })).status,
        'success',
      );
      // Built-in sign-in on: the initial administrator can be demoted now, then the SAML one is the last.
      assert.equal(
        (await adminCall('updateUserRole', { username: 'admin', role: 'org_user' })).status,
        'success',
      );
      const identity = portal.modules.identity;
      await assert.rejects(identity.setRole('saml.admin', 'org_user'), /last enabled administrator/);
      await assert.rejects(identity.setDisabled('saml.admin', true), /last enabled administrator/);
      // Back to two administrators for what follows.
      await identity.setRole('admin', 'org_admin');
      admin = await portal.token();
    });

    test('with a SAML administrator, built-in sign-in can be turned off; password sign-in is then refused everywhere', async () => {
      const off = await update({ canSignInArcGIS: false });
      assert.equal(off.success, true, JSON.stringify(off));
      const self = await portal.call('/sharing/rest/portals/self', {}, { method: 'GET' });
      assert.equal(self.canSignInArcGIS, false);

      const gen = await portal.call('/sharing/rest/generateToken', {
        username: 'admin',
        password: ADMIN_PASSWORD,
        client: 'requestip',
      });
      assert.equal(gen.token, undefined);
      assert.equal(gen.error?.message, 'Unable to generate token.');
      assert.match(gen.error.details[0], /canSignInArcGIS/);
      assert.match(gen.error.details[0], /meridian portal allow-builtin-sign-in/);
      // Tokens issued before stay valid (the administrator still works through the API).
      assert.equal(
        (await portal.call('/sharing/rest/community/self', { token: admin }, { method: 'GET' })).username,
        'admin',
      );

      const page = await authorize(portal, {
        client_id: 'arcgisonline',
        response_type: 'code',
        redirect_uri: `${portal.kernel.baseUrl()}/home/oauth-callback`,
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'S256',
      });
      assert.equal(page.status, 200, page.body);
      assert.doesNotMatch(page.body, /name="password"/);
      assert.match(page.body, /turned off for this organisation/);
      assert.ok(page.oauthState);
      const posted = await signIn(portal, page.oauthState!, { username: 'admin', password: ADMIN_PASSWORD });
      assert.equal(posted.status, 401);
      assert.equal(posted.location, null);
      assert.match(posted.body, /turned off for this organisation/);
      assert.doesNotMatch(posted.body, /name="password"/);
    });

    test('while built-in sign-in is off, the last SAML administrator cannot be removed; the initial one can', async () => {
      const identity = portal.modules.identity;
      await assert.rejects(
        identity.setRole('saml.admin', 'org_user'),
        /last enabled administrator with a SAML account/,
      );
      await assert.rejects(
        identity.setDisabled('saml.admin', true),
        /last enabled administrator with a SAML account/,
      );
      const del = await adminCall('saml.admin/delete', {});
      assert.equal(del.status, 'error');
      assert.match(del.messages[0], /last enabled administrator with a SAML account/);
      // A second SAML administrator lifts the rule for the first.
      const [second] = await identity.addSamlAccounts([
        { idpEntityId: IDP, nameId: 'sa-0002', role: 'org_admin' },
      ]);
      await identity.setRole(second!.username, 'org_user');
      // The built-in initial administrator can be demoted and deleted.
      assert.equal((await adminCall('admin/delete', {})).status, 'success');
      assert.equal(await identity.findUser('admin'), undefined);
    });

    test('creating built-in accounts can be turned off; SAML accounts can still be added', async () => {
      const samlAdmin = await portal.modules.identity.findUser('saml.admin');
      const issued = await portal.modules.tokens.issueSignedIn(samlAdmin!, { kind: 'api' });
      const t = issued.token;
      assert.equal((await update({ allowBuiltInAccounts: false }, t)).success, true);
      const builtIn = await adminCall(
        'createUser',
        { username: 'new.builtin', password: USER_PASSWORD, email: 'n@example.org', role: 'org_user' },
        t,
      );
      assert.equal(builtIn.status, 'error');
      assert.match(builtIn.messages[0], /allowBuiltInAccounts/);
      const saml = await adminCall(
        'createUser',
        {
          username: 'new.saml',
          email: 'n@example.org',
          role: 'org_user',
          provider: 'enterprise',
          idpEntityId: IDP,
        },
        t,
      );
      assert.equal(saml.status, 'success', JSON.stringify(saml));
      const self = await portal.call('/sharing/rest/portals/self', {}, { method: 'GET' });
      assert.equal(self.allowBuiltInAccounts, false);
      // Turning built-in sign-in back on needs no check.
      assert.equal((await update({ canSignInArcGIS: true, allowBuiltInAccounts: true }, t)).success, true);
    });

    test('when the SAML login goes, built-in sign-in comes back on', async () => {
      const settings = portal.modules.portal.settings;
      await settings.update({ canSignInArcGIS: false });
      // What the saml module does when the login is unregistered.
      await settings.update({ canSignInIDP: false });
      assert.equal((await settings.get()).canSignInArcGIS, true);
    });
  });
}
