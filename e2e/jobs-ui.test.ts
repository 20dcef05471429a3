/**
 * Organization › Jobs in Chromium against a real portal whose job service runs test kinds:
 * every job with its status, a progress bar that moves while the job runs (the page reads the
 * jobs again by itself, and stops once none runs), how each ended (result, or error and
 * code); the status filter in the address; Cancel after confirming; the page fits 1366-px and
 * 800-px windows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { countRows } from '../packages/server/src/kernel/jobs/test-kinds.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { pageWidths, signInThroughUi, until } from './ui-helpers.ts';

const JOBS = '/home/organization/jobs.html';

describe('jobs page in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  const ids = { quick: '', broken: '', slow: '' };

  before(async () => {
    portal = await startTestPortal();
    const jobs = portal.kernel.jobs;
    jobs.register('test.count', countRows);
    jobs.register('test.import', async () => {
      throw Object.assign(new Error('The file is not a CSV file: its first line has no comma.'), {
        code: 'test.not_csv',
      });
    });
    ids.quick = await jobs.start('test.count', { total: 3, stepMs: 0 });
    ids.broken = await jobs.start('test.import', {});
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US' });
    await signInThroughUi(page, portal.url, 'admin', ADMIN_PASSWORD);
  });

  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  /** The job as the portal's API answers it. */
  const job = async (id: string) =>
    portal.call(`/portaladmin/jobs/${id}`, { token: await portal.token() }, { method: 'GET' });
  const ended = async (id: string) => {
    await until(async () => ['succeeded', 'failed', 'cancelled'].includes((await job(id)).status), 20_000);
    return job(id);
  };
  const row = (id: string) => page.getByTestId(`job-row-${id}`);

  test('ended jobs show how they ended: the result, or the error and its code', async () => {
    const quick = await ended(ids.quick);
    const broken = await ended(ids.broken);
    assert.equal(quick.status, 'succeeded');
    assert.equal(broken.status, 'failed');

    await page.goto(`${portal.url}/home/organization.html`);
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await row(ids.quick).waitFor();
    assert.equal(await row(ids.quick).getByTestId('job-status').textContent(), 'Succeeded');
    assert.equal(await row(ids.quick).getByRole('progressbar').getAttribute('value'), '3');
    assert.match(
      (await row(ids.quick).getByTestId('job-progress').textContent()) ?? '',
      /3 of 3 — row 3 of 3/,
    );
    assert.match((await row(ids.quick).textContent()) ?? '', /"counted":3/);
    assert.equal(await row(ids.broken).getByTestId('job-status').textContent(), 'Failed');
    assert.equal(
      await row(ids.broken).getByTestId('job-error').textContent(),
      `${broken.error.message} ${broken.error.code}`,
    );
    assert.equal(await page.getByRole('button', { name: /^Cancel/ }).count(), 0, 'nothing to cancel');
  });

  test("a running job's progress bar moves without a reload; the page stops asking once none runs", async () => {
    const requests: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/portaladmin/jobs') requests.push(r.url());
    });
    ids.slow = await portal.kernel.jobs.start('test.count', { total: 400, stepMs: 25 });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const bar = row(ids.slow).getByRole('progressbar', { name: 'Progress of test.count' });
    await bar.waitFor();
    await until(async () => Number(await bar.getAttribute('value')) > 0);
    const first = Number(await bar.getAttribute('value'));
    await until(async () => Number(await bar.getAttribute('value')) > first);
    assert.equal(await bar.getAttribute('max'), '400');
    assert.equal(await row(ids.slow).getByTestId('job-status').textContent(), 'Running');
    assert.ok(requests.length >= 2, `the page read the jobs again by itself (${requests.length} requests)`);

    // Filtered on Running: only the running job, and the filter is in the address.
    await page
      .getByRole('form', { name: 'Job filters' })
      .getByLabel('Status')
      .selectOption({ label: 'Running' });
    await page.waitForURL((u) => u.searchParams.get('status') === 'running');
    await until(async () => (await page.locator('[data-testid^="job-row-"]').count()) === 1);
    await row(ids.slow).waitFor();

    // Cancel asks first; "Keep it" leaves the job running.
    await row(ids.slow).getByRole('button', { name: 'Cancel test.count' }).click();
    await row(ids.slow).getByRole('button', { name: 'Keep it' }).click();
    assert.equal((await job(ids.slow)).status, 'running');
    await row(ids.slow).getByRole('button', { name: 'Cancel test.count' }).click();
    await row(ids.slow).getByRole('button', { name: 'Yes, cancel it' }).click();
    await page.getByRole('status').filter({ hasText: 'Cancelling test.count' }).waitFor();
    const cancelled = await ended(ids.slow);
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(cancelled.progress.done < 400);

    // The running filter now lists nothing; with no filter, the job shows as cancelled.
    await page.getByTestId('no-jobs').filter({ hasText: 'No running jobs.' }).waitFor();
    await page.goBack();
    await page.waitForURL((u) => !u.searchParams.has('status'));
    await until(async () => (await row(ids.slow).getByTestId('job-status').textContent()) === 'Cancelled');
    assert.equal(
      await row(ids.slow)
        .getByRole('button', { name: /^Cancel/ })
        .count(),
      0,
    );

    // Nothing runs any more: the page stops reading the jobs.
    await sleep(1500);
    const settled = requests.length;
    await sleep(2500);
    assert.equal(requests.length, settled, 'no more requests once no job runs');
  });

  test('the jobs page fits 1366-px and 800-px windows, with a job running', async () => {
    const slow = await portal.kernel.jobs.start('test.count', { total: 400, stepMs: 25 });
    for (const [width, height] of [
      [1366, 768],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${portal.url}${JOBS}`);
      await row(slow).getByRole('progressbar').waitFor();
      await page.screenshot({ path: `/tmp/meridian-ui-jobs-${width}.png`, fullPage: true });
      const { scrollWidth, clientWidth } = await pageWidths(page);
      assert.ok(scrollWidth <= clientWidth, `jobs at ${width} px: ${scrollWidth} > ${clientWidth}`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await portal.kernel.jobs.cancel(slow);
  });
});
