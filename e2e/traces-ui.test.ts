/**
 * Organization › Traces in Chromium against a real portal: each "Check a site" leaves a trace;
 * the list shows every run with its outcome and the step it failed at; a run's page shows its
 * steps in order, which one failed and why, exactly as the portal recorded them; filters live
 * in the address (back and forward work); only administrators see traces; the pages fit
 * 1366-px and 800-px windows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  closedPort,
  type RunningServer,
  startHttpsServer,
} from '../packages/server/src/pki/diagnose/test-servers.ts';
import { generateCertificate } from '../packages/server/src/pki/generate-certificate.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { pageWidths, signInThroughUi, until } from './ui-helpers.ts';

const TRUST_STORE = '/home/organization/security/trust-store.html';
const TRACES = '/home/organization/traces.html';

/** A pattern matching `text` as written. */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface ApiStep {
  name: string;
  outcome: string;
  ms: number;
  detail: string;
}
interface ApiTrace {
  id: string;
  pipeline: string;
  subject: string;
  outcome: string;
  code: string | null;
  steps: ApiStep[];
}

describe('traces pages in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let site: RunningServer;
  let nowhere = '';

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US' });
    const selfSigned = await generateCertificate({
      alias: 'partner-site',
      cn: 'localhost',
      org: 'Partner Agency',
      san: ['localhost', '127.0.0.1'],
      keyAlg: 'EC',
      validityDays: 90,
    });
    site = await startHttpsServer({ key: selfSigned.keyPem, cert: selfSigned.certPem }, (_req, res) =>
      res.end('partner'),
    );
    nowhere = `https://127.0.0.1:${await closedPort()}/`;
    const created = await portal.call('/portaladmin/security/users/createUser', {
      token: await portal.token(),
      username: 'olga_user',
      password: 'Olga-passw0rd',
      firstname: 'Olga',
      lastname: 'User',
      email: 'olga@example.org',
      role: 'org_user',
    });
    assert.equal(created.status, 'success', JSON.stringify(created));
    await signInThroughUi(page, portal.url, 'admin', ADMIN_PASSWORD);
  });

  after(async () => {
    await site?.close();
    await chromium?.close();
    await portal?.close();
  });

  /** The traces as the portal lists them (newest first). */
  async function apiTraces(): Promise<ApiTrace[]> {
    const answer = await portal.call(
      '/portaladmin/traces',
      { token: await portal.token(), num: 100 },
      { method: 'GET' },
    );
    assert.ok(Array.isArray(answer.traces), JSON.stringify(answer));
    return answer.traces;
  }

  async function checkSite(url: string) {
    const form = page.getByRole('form', { name: 'Check a site' });
    await form.getByLabel('Site URL').fill(url);
    await form.getByRole('button', { name: 'Check', exact: true }).click();
    await page.getByTestId('diagnosis-result').waitFor();
  }

  test('each "Check a site" leaves a trace, listed with its outcome and the step it failed at', async () => {
    const earlier = (await apiTraces()).length;
    await page.goto(`${portal.url}${TRUST_STORE}`);
    await checkSite(nowhere);
    await checkSite(site.url);
    // A site the portal trusts (itself), through the API.
    const ok = await portal.call(
      '/portaladmin/security/diagnose',
      { token: await portal.token(), url: `${portal.url}/` },
      { method: 'GET' },
    );
    assert.equal(ok.ok, true, JSON.stringify(ok));

    const traces = await apiTraces();
    assert.equal(traces.length, earlier + 3, JSON.stringify(traces));
    const failed = traces.filter((t) => t.outcome === 'failed');
    assert.ok(failed.length >= 1, 'the closed port fails a step');

    await page
      .getByRole('navigation', { name: 'Organization' })
      .getByRole('link', { name: 'Traces' })
      .click();
    await page.getByRole('heading', { name: 'Traces', level: 1 }).waitFor();
    await page.getByTestId('trace-table').waitFor();
    assert.equal(await page.locator('[data-testid^="trace-row-"]').count(), traces.length);
    for (const t of traces) {
      const row = page.getByTestId(`trace-row-${t.id}`);
      assert.equal(await row.getByRole('rowheader').textContent(), t.pipeline);
      assert.match((await row.textContent()) ?? '', new RegExp(literal(t.subject)));
      assert.equal(
        await row.getByTestId('trace-outcome').textContent(),
        t.outcome === 'failed' ? 'Failed' : 'Succeeded',
      );
      const stop = t.steps.find((s) => s.outcome === 'failed');
      const failedAt = (await row.locator('td[data-label="Failed at"]').textContent()) ?? '';
      if (stop) {
        assert.ok(failedAt.includes(stop.name), `${t.subject}: failed at ${stop.name}`);
        assert.ok(t.code && failedAt.includes(t.code), `${t.subject}: the failure's code`);
      } else assert.equal(failedAt, '');
    }
  });

  test("a failed run's page names the failed step and why, with every step in order", async () => {
    const trace = (await apiTraces()).find((t) => t.subject.startsWith(nowhere.replace(/\/$/, '')));
    assert.ok(trace, 'the closed port left a trace');
    assert.equal(trace.outcome, 'failed');
    const stop = trace.steps.find((s) => s.outcome === 'failed');
    assert.ok(stop);

    await page.goto(`${portal.url}${TRACES}`);
    await page
      .getByTestId(`trace-row-${trace.id}`)
      .getByRole('link', { name: /^Steps of/ })
      .click();
    await page.getByRole('heading', { name: `Trace of ${trace.pipeline}`, level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/home/organization/trace.html');
    assert.equal(new URL(page.url()).searchParams.get('id'), trace.id);

    const failure = page.getByTestId('trace-failure');
    const index = trace.steps.indexOf(stop) + 1;
    assert.equal(await failure.getByRole('heading').textContent(), `Failed at step ${index}, ${stop.name}`);
    assert.match((await failure.textContent()) ?? '', new RegExp(literal(stop.detail.slice(0, 40))));
    if (trace.code) assert.match((await failure.textContent()) ?? '', new RegExp(`Code: ${trace.code}`));

    const rows = page.getByTestId('trace-steps').locator('tbody tr');
    assert.equal(await rows.count(), trace.steps.length);
    for (const [i, s] of trace.steps.entries()) {
      const row = rows.nth(i);
      assert.equal(await row.getByRole('rowheader').textContent(), s.name);
      assert.equal(
        await row.getByTestId('step-outcome').textContent(),
        { ok: 'OK', flagged: 'Flagged', failed: 'Failed' }[s.outcome],
      );
      assert.equal(await row.getAttribute('class'), s.outcome === 'failed' ? 'step-failed' : null);
    }
    assert.equal(trace.steps.at(-1), stop, 'the run stopped at the failed step');

    // The breadcrumb leads back to the list.
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Traces' }).click();
    await page.getByTestId('trace-table').waitFor();
  });

  test('a run that succeeded says so; an unknown trace id is an error', async () => {
    const trace = (await apiTraces()).find((t) => t.outcome === 'succeeded');
    assert.ok(trace);
    await page.goto(`${portal.url}/home/organization/trace.html?id=${trace.id}`);
    await page.getByTestId('trace-success').waitFor();
    assert.equal(await page.getByTestId('trace-failure').count(), 0);
    assert.equal(await page.getByTestId('trace-steps').locator('tbody tr').count(), trace.steps.length);

    await page.goto(`${portal.url}/home/organization/trace.html?id=no-such-trace`);
    await page.getByRole('alert').waitFor();
    assert.equal(await page.getByTestId('trace-steps').count(), 0);
  });

  test('filters are in the address: outcome and pipeline; Back shows every trace again', async () => {
    const traces = await apiTraces();
    const failedCount = traces.filter((t) => t.outcome === 'failed').length;
    await page.goto(`${portal.url}${TRACES}`);
    await page.getByTestId('trace-table').waitFor();
    const filters = page.getByRole('form', { name: 'Trace filters' });
    await filters.getByLabel('Outcome').selectOption({ label: 'Failed' });
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL((u) => u.searchParams.get('outcome') === 'failed');
    const rows = page.locator('[data-testid^="trace-row-"]');
    await until(async () => (await rows.count()) === failedCount);
    for (const text of await page.getByTestId('trace-outcome').allTextContents())
      assert.equal(text, 'Failed');

    await page.goBack();
    await until(async () => (await rows.count()) === traces.length);
    assert.equal(await filters.getByLabel('Outcome').inputValue(), '');
    assert.equal(await rows.count(), traces.length);

    await filters.getByLabel('Pipeline').fill('no.such.pipeline');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByTestId('no-traces').waitFor();
    assert.equal(new URL(page.url()).searchParams.get('pipeline'), 'no.such.pipeline');

    await filters.getByLabel('Pipeline').fill(traces[0]!.pipeline);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByTestId('trace-table').waitFor();
    assert.equal(await rows.count(), traces.filter((t) => t.pipeline === traces[0]!.pipeline).length);
  });

  test('the traces and trace pages fit 1366-px and 800-px windows', async () => {
    const failed = (await apiTraces()).find((t) => t.outcome === 'failed');
    assert.ok(failed);
    const pages = {
      traces: TRACES,
      trace: `/home/organization/trace.html?id=${failed.id}`,
    };
    for (const [width, height] of [
      [1366, 768],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(`${portal.url}${path}`);
        await page.getByTestId(name === 'traces' ? 'trace-table' : 'trace-steps').waitFor();
        await page.screenshot({ path: `/tmp/meridian-ui-${name}-${width}.png`, fullPage: true });
        const { scrollWidth, clientWidth } = await pageWidths(page);
        assert.ok(scrollWidth <= clientWidth, `${name} at ${width} px: ${scrollWidth} > ${clientWidth}`);
      }
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  test('only administrators see traces', async () => {
    const other = await chromium.browser.newPage();
    try {
      await signInThroughUi(other, portal.url, 'olga_user', 'Olga-passw0rd');
      await other.goto(`${portal.url}${TRACES}`);
      await other.getByRole('alert').filter({ hasText: 'Only administrators' }).waitFor();
      assert.equal(await other.getByTestId('trace-table').count(), 0);
      const refused = await portal.call(
        '/portaladmin/traces',
        { token: await portal.token('olga_user', 'Olga-passw0rd') },
        { method: 'GET' },
      );
      assert.equal(refused.status, 'error', JSON.stringify(refused));
    } finally {
      await other.close();
    }
  });
});
