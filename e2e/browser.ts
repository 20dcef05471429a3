import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.MERIDIAN_TEST_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, trusting exactly the given extra CAs (the portal's, and a test
 * IdP's when there is one), added to a fresh NSS database in a temporary HOME (as an
 * administrator would with certutil). Certificate checks stay on.
 */
export async function launchTrustingChromium(
  caPems: string | readonly string[],
): Promise<{ browser: Browser; close(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'meridian-chromium-'));
  const nss = join(home, '.pki', 'nssdb');
  mkdirSync(nss, { recursive: true });
  execFileSync('certutil', ['-d', `sql:${nss}`, '-N', '--empty-password']);
  [caPems].flat().forEach((pem, i) => {
    writeFileSync(join(home, `ca-${i}.pem`), pem);
    execFileSync('certutil', [
      '-d',
      `sql:${nss}`,
      '-A',
      '-t',
      'C,,',
      '-n',
      `Meridian test CA ${i}`,
      '-i',
      join(home, `ca-${i}.pem`),
    ]);
  });
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
