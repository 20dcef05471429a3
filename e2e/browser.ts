import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.MERIDIAN_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, trusting exactly one extra CA: the portal's, added to a fresh
 * NSS database in a temporary HOME (as an administrator would with certutil). Certificate
 * checks stay on.
 */
export async function launchTrustingChromium(
  caPem: string,
): Promise<{ browser: Browser; close(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'meridian-chromium-'));
  const nss = join(home, '.pki', 'nssdb');
  mkdirSync(nss, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${nss}`, '-N', '--empty-password']);
  writeFileSync(join(home, 'ca.pem'), caPem);
  execFileSync('certutil', [
    '-d',
    `sql:${nss}`,
    '-A',
    '-t',
    'C,,',
    '-n',
    'Meridian test CA',
    '-i',
    join(home, 'ca.pem'),
  ]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, HOME: home },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
