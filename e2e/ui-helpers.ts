import type { Page } from 'playwright-core';

/**
 * On the portal's OAuth sign-in page (oauth2/authorize, where the web UI's "Sign in" leads):
 * fills in the account and submits; the browser then goes back through /home/oauth-callback.
 */
export async function signInOnPortalPage(page: Page, username: string, password: string) {
  await page.waitForURL(/\/sharing\/rest\/oauth2\/(authorize|signin)/);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Signs in as the web UI does (its "Sign in" starts the OAuth code flow with PKCE; the portal's
 * page takes the password) and waits until the header shows the user.
 */
export async function signInThroughUi(page: Page, portalUrl: string, username: string, password: string) {
  await page.goto(`${portalUrl}/home/signin.html`);
  await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
  await signInOnPortalPage(page, username, password);
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
