/**
 * Organization › Settings › Security › Logins › Recent sign-in failures in Debian's Chromium:
 * the empty state with the retention, then two refused sign-ins at the ACS (a response signed
 * with a key the IdP's metadata does not hold, an unsolicited one) listed newest first with
 * their codes, IdP, step and reason; a row's Trace link opens the full trace; paging through
 * more failures; the table as cards at 800 px. Screenshots in /tmp/meridian-saml-failures-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { idpMetadata, postForm, postToAcs } from '../packages/server/src/saml/signin/test-saml.ts';
import {
  base64,
  buildResponse,
  createTestIdp,
  keyPair,
  type TestIdp,
} from '../packages/server/src/saml/validate/test-idp.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { pageWidths, signInOnPortalPage } from './ui-helpers.ts';

const LOGINS = '/home/organization/security/logins.html';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `/tmp/meridian-saml-failures-${name}.png`, fullPage: true });

describe('SAML sign-in failures on the Logins page in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let idp: TestIdp;
  let acs: string;
  let spEntityId: string;

  /** A response to the ACS as the IdP would send it (unsolicited unless inResponseTo). */
  const respond = (more: Partial<Parameters<typeof buildResponse>[0]> = {}) =>
    base64(
      buildResponse({
        idp,
        now: Date.now(),
        inResponseTo: null,
        destination: acs,
        recipient: acs,
        audience: spEntityId,
        nameId: 'alice.saml@example.org',
        attributes: { mail: ['alice@example.org'] },
        ...more,
      }),
    );

  before(async () => {
    portal = await startTestPortal();
    const admin = await portal.token();
    idp = await createTestIdp('https://idp.example.org/idp/shibboleth');
    const r = await postForm(
      portal,
      '/sharing/rest/portals/self/idp/register',
      admin,
      { name: 'Example University', signUpMode: 'Automatic' },
      { name: 'idpMetadataFile', content: idpMetadata(idp) },
    );
    assert.equal(r.success, true, JSON.stringify(r));
    const md = await (await portal.fetch(`/sharing/rest/portals/self/sp/metadata?token=${admin}`)).text();
    spEntityId = /entityID="([^"]+)"/.exec(md)![1]!;
    acs = /<md:AssertionConsumerService [^>]*Location="([^"]+)"/.exec(md)![1]!;

    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    await page.goto(`${portal.url}${LOGINS}`);
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL(/logins\.html/);
  });
  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  test('none yet: the empty state and how long failures are kept', async () => {
    const section = page.getByTestId('sign-in-failures');
    await section.getByRole('heading', { name: 'Recent sign-in failures' }).waitFor();
    await section.getByTestId('no-failures').waitFor();
    assert.equal(await section.getByTestId('no-failures').textContent(), 'No failed sign-ins.');
    assert.match((await section.getByTestId('failures-retention').textContent())!, /Kept 14 days\./);
    await shot(page, '1-empty');
  });

  test('two refused sign-ins listed with their codes, IdP, step and reason; Trace opens the full trace', async () => {
    const attacker = await keyPair('attacker.example.org');
    const forged = await postToAcs(portal, respond({ signWith: attacker }));
    assert.equal(forged.location, null);
    assert.match(forged.body, /saml\.signature_key_untrusted/);
    const unsolicited = await postToAcs(portal, respond());
    assert.equal(unsolicited.location, null);
    assert.match(unsolicited.body, /saml\.in_response_to_missing/);

    const section = page.getByTestId('sign-in-failures');
    await section.getByRole('button', { name: 'Refresh sign-in failures' }).click();
    const rows = section.getByTestId('failure-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.deepEqual(await section.getByTestId('failure-code').allTextContents(), [
      'saml.in_response_to_missing',
      'saml.signature_key_untrusted',
    ]);
    const newest = rows.nth(0);
    assert.match((await newest.textContent())!, /https:\/\/idp\.example\.org\/idp\/shibboleth/);
    assert.match((await newest.textContent())!, /check_in_response_to/);
    const text = (await section.textContent())!;
    assert.doesNotMatch(text, /alice/, 'no NameID, no attribute values');
    assert.equal(await section.getByTestId('pager-range').textContent(), '1–2 of 2');
    await section.getByTestId('no-failures').waitFor({ state: 'detached' });
    await shot(page, '2-two-failures-1366');

    await page.setViewportSize({ width: 800, height: 900 });
    const w = await pageWidths(page);
    assert.ok(w.scrollWidth <= w.clientWidth, 'no horizontal scroll at 800 px');
    await shot(page, '3-two-failures-800');
    await page.setViewportSize({ width: 1366, height: 900 });

    // The older one's full trace: its steps, the failed one with its code.
    await rows
      .nth(1)
      .getByRole('link', { name: /Trace of the sign-in failure/ })
      .click();
    await page.waitForURL(/\/home\/organization\/trace\.html\?id=/);
    await page.getByTestId('trace-summary').waitFor();
    await page.getByText('saml.signature_key_untrusted').first().waitFor();
    await shot(page, '4-trace');
    await page.goBack();
    await page.getByTestId('failure-row').nth(1).waitFor();
  });

  test('more than a page: Next and Previous', async () => {
    for (let i = 0; i < 9; i++) await postToAcs(portal, respond());
    const section = page.getByTestId('sign-in-failures');
    await section.getByRole('button', { name: 'Refresh sign-in failures' }).click();
    await section.getByTestId('pager-range').filter({ hasText: '1–10 of 11' }).waitFor();
    assert.equal(await section.getByTestId('failure-row').count(), 10);
    await section.getByRole('button', { name: 'Next' }).click();
    await section.getByTestId('pager-range').filter({ hasText: '11–11 of 11' }).waitFor();
    assert.equal(await section.getByTestId('failure-row').count(), 1);
    assert.deepEqual(await section.getByTestId('failure-code').allTextContents(), [
      'saml.signature_key_untrusted',
    ]);
    assert.ok(await section.getByRole('button', { name: 'Next' }).isDisabled());
    await shot(page, '5-second-page');
    await section.getByRole('button', { name: 'Previous' }).click();
    await section.getByTestId('pager-range').filter({ hasText: '1–10 of 11' }).waitFor();
  });
});
