import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { isMeridianError } from '../kernel/errors/meridian-error.ts';
import { usernameBase } from './saml-accounts.ts';
import { addUser, USER_PASSWORD } from './test-users.ts';

const IDP = 'https://idp.example.org/idp/shibboleth';
const OTHER_IDP = 'https://login.other.example.net/saml';

async function rejects(p: Promise<unknown>, code: string, message?: RegExp): Promise<void> {
  await assert.rejects(p, (err) => {
    assert.ok(isMeridianError(err), String(err));
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });
}

test('usernameBase: the NameID when valid, else the email, else the NameID made valid', () => {
  assert.equal(usernameBase('jane.doe@example.org'), 'jane.doe@example.org');
  assert.equal(usernameBase('AAdzZWNyZXQxMjM0+/=', 'jd@example.org'), 'jd@example.org');
  assert.equal(usernameBase('AAdzZWNy ZXQx+/=='), 'AAdzZWNy_ZXQx');
  assert.equal(usernameBase('bob'), 'bob_saml');
  assert.equal(usernameBase('  '), 'user_saml');
  assert.equal(usernameBase('x'.repeat(128)).length, 128);
  assert.equal(usernameBase('x'.repeat(300)).length, 120);
  assert.equal(usernameBase(`${'y'.repeat(200)}!`).length, 120);
});

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`SAML accounts (${database})`, () => {
    let portal: TestPortal;
    const api = () => portal.modules.identity;
    before(async () => {
      portal = await startTestPortal({ database });
    });
    after(() => portal.close());

    test('Automatic creates the account at first sign-in with the role and profile; the next sign-in finds it', async () => {
      const t0 = Date.now();
      const u = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'ann.auto@example.org',
        givenName: 'Ann',
        surname: 'Auto',
        email: 'ann@example.org',
        signUpMode: 'Automatic',
        role: 'org_publisher',
        updateProfile: true,
      });
      assert.equal(u.username, 'ann.auto@example.org');
      assert.equal(u.provider, 'enterprise');
      assert.equal(u.idp_username, 'ann.auto@example.org');
      assert.equal(u.idp_entity_id, IDP);
      assert.equal(u.password_hash, null);
      assert.equal(u.role, 'org_publisher');
      assert.equal(u.full_name, 'Ann Auto');
      assert.ok(Number(u.last_login) >= t0);
      const again = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'ann.auto@example.org',
        signUpMode: 'Invitation',
        role: 'org_admin',
        updateProfile: true,
      });
      assert.equal(again.id, u.id);
      assert.equal(again.role, 'org_publisher', 'the login role applies only to new accounts');
      assert.equal(again.email, 'ann@example.org', 'absent attributes are kept');
      // A SAML account has no password: password sign-in finds nothing to check.
      const r = await portal.call('/sharing/rest/generateToken', {
        username: u.username,
        password: USER_PASSWORD,
        client: 'requestip',
      });
      assert.equal(r.error?.code, 400);
      await rejects(api().resetPassword(u.username, 'N3w-password-here'), 'identity.field_invalid');
    });

    test('the default role is org_user; a role ID with no Meridian role is refused', async () => {
      const u = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'default.role',
        signUpMode: 'Automatic',
        updateProfile: false,
      });
      assert.equal(u.role, 'org_user');
      await rejects(
        api().samlAccount({
          idpEntityId: IDP,
          nameId: 'viewer.role',
          signUpMode: 'Automatic',
          role: 'iAAAAAAAAAAAAAAA',
          updateProfile: false,
        }),
        'identity.field_invalid',
        /no Meridian equivalent/,
      );
      assert.equal(api().samlRoleOf('account_admin'), 'org_admin');
      assert.equal(api().samlRoleOf(''), 'org_user');
    });

    test('Invitation refuses a person without an account, saying to ask an administrator', async () => {
      await rejects(
        api().samlAccount({
          idpEntityId: IDP,
          nameId: 'nobody@example.org',
          signUpMode: 'Invitation',
          updateProfile: true,
        }),
        'saml.account_not_invited',
        /Ask an administrator/,
      );
      assert.equal(await api().findUser('nobody@example.org'), undefined);
    });

    test('the account is found by (IdP, NameID), never by username: no takeover of a built-in account', async () => {
      await addUser(portal, 'carol.builtin');
      const u = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'carol.builtin',
        signUpMode: 'Automatic',
        updateProfile: false,
      });
      assert.equal(u.username, 'carol.builtin_2');
      const other = await api().samlAccount({
        idpEntityId: OTHER_IDP,
        nameId: 'carol.builtin',
        signUpMode: 'Automatic',
        updateProfile: false,
      });
      assert.equal(other.username, 'carol.builtin_3');
      assert.notEqual(other.id, u.id);
      const builtin = await api().findUser('carol.builtin');
      assert.equal(builtin?.provider, 'arcgis');
    });

    test('updateProfile: given name, surname and email follow the assertion; off: they stay', async () => {
      const first = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'dan.profile',
        givenName: 'Dan',
        surname: 'Old',
        email: 'dan.old@example.org',
        signUpMode: 'Automatic',
        updateProfile: true,
      });
      const off = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'dan.profile',
        givenName: 'Daniel',
        surname: 'New',
        email: 'dan.new@example.org',
        signUpMode: 'Automatic',
        updateProfile: false,
      });
      assert.equal(off.full_name, 'Dan Old');
      const on = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'dan.profile',
        givenName: 'Daniel',
        surname: 'New',
        email: 'not an email',
        signUpMode: 'Automatic',
        updateProfile: true,
      });
      assert.equal(on.id, first.id);
      assert.equal(on.first_name, 'Daniel');
      assert.equal(on.last_name, 'New');
      assert.equal(on.full_name, 'Daniel New');
      assert.equal(on.email, 'dan.old@example.org', 'an invalid email is ignored');
      const stored = await api().findUser(first.username);
      assert.equal(stored?.full_name, 'Daniel New');
    });

    test('a disabled account is refused', async () => {
      const u = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'erin.disabled',
        signUpMode: 'Automatic',
        updateProfile: false,
      });
      await api().setDisabled(u.username, true);
      await rejects(
        api().samlAccount({
          idpEntityId: IDP,
          nameId: 'erin.disabled',
          signUpMode: 'Automatic',
          updateProfile: false,
        }),
        'identity.account_disabled',
      );
    });

    test('an account pre-registered without an IdP is claimed only when the login allows it (single IdP)', async () => {
      const [pre] = await api().addSamlAccounts([{ nameId: 'fay.unbound', role: 'org_user' }]);
      assert.equal(pre!.idp_entity_id, null);
      await rejects(
        api().samlAccount({
          idpEntityId: IDP,
          nameId: 'fay.unbound',
          signUpMode: 'Invitation',
          updateProfile: false,
        }),
        'saml.account_not_invited',
      );
      const claimed = await api().samlAccount({
        idpEntityId: IDP,
        nameId: 'fay.unbound',
        signUpMode: 'Invitation',
        updateProfile: false,
        claimUnbound: true,
      });
      assert.equal(claimed.id, pre!.id);
      assert.equal((await api().findUser(pre!.username))?.idp_entity_id, IDP);
      // Bound now: another IdP's same NameID is someone else.
      await rejects(
        api().samlAccount({
          idpEntityId: OTHER_IDP,
          nameId: 'fay.unbound',
          signUpMode: 'Invitation',
          updateProfile: false,
          claimUnbound: true,
        }),
        'saml.account_not_invited',
      );
    });

    test('first sign-ins of one person at the same moment make one account', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, () =>
          api().samlAccount({
            idpEntityId: IDP,
            nameId: 'gus.race',
            signUpMode: 'Automatic',
            updateProfile: true,
          }),
        ),
      );
      assert.equal(new Set(results.map((u) => u.id)).size, 1);
    });
  });
}
