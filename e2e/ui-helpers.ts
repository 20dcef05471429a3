import type { Page } from 'playwright-core';

/** Signs in through the web UI's sign-in page and waits until the header shows the user. */
export async function signInThroughUi(page: Page, portalUrl: string, username: string, password: string) {
  await page.goto(`${portalUrl}/home/signin.html`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-user').filter({ hasText: username }).waitFor();
}

/** Waits until `condition` holds (for state that settles after a click), or fails after `ms`. */
export async function until(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The page's width and the width it lays out (wider means a horizontal scroll bar). */
export function pageWidths(page: Page): Promise<{ scrollWidth: number; clientWidth: number }> {
  return page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
  );
}
