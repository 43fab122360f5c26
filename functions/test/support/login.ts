import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * The Static Web Apps CLI's login emulator page (its dist/public/auth.html) runs on jQuery from a
 * CDN and dresses itself with Bootstrap from another. Tests have no Internet: the page gets the
 * same jQuery from node_modules, and every other outside file an empty answer.
 */
export async function serveEmulatorAssets(page: Page): Promise<void> {
  const jquery = readFileSync(resolve('node_modules/jquery/dist/jquery.min.js'), 'utf8');
  await page.route(/^https:\/\//, (route) => {
    const url = route.request().url();
    if (/\/jquery[^/]*\.js$/.test(url)) return route.fulfill({ contentType: 'text/javascript', body: jquery });
    if (/\.js$/.test(url)) return route.fulfill({ contentType: 'text/javascript', body: '' });
    if (/\.css$/.test(url)) return route.fulfill({ contentType: 'text/css', body: '' });
    return route.fulfill({ status: 204 });
  });
}

/** Who signs in through the emulator; `userId` names the account across browsers (the emulator makes one up otherwise). */
export interface EmulatorUser {
  userDetails: string;
  roles: string[];
  userId?: string;
}

/**
 * Fills in and submits the CLI's login emulator page, which the page is on (serveEmulatorAssets
 * must have been called before it opened). The emulator keeps what was typed (on each key press)
 * and sets the StaticWebAppsAuthCookie cookie, then goes where the sign-in link said.
 */
export async function completeEmulatorLogin(page: Page, who: EmulatorUser): Promise<void> {
  const type = async (selector: string, value: string) => {
    await page.locator(selector).fill(value);
    await page.locator(selector).press('End');
  };
  await page.locator('#userDetails').waitFor();
  if (who.userId) await type('#userId', who.userId);
  await type('#userDetails', who.userDetails);
  await type('#userRoles', who.roles.join('\n'));
  await page.getByRole('button', { name: 'Login' }).click();
}

/**
 * Signs in through the CLI's login emulator as a person would: opens /.auth/login/aad, types a
 * user name and the roles (one a line), and submits; then waits for `then`.
 */
export async function signInThroughEmulator(page: Page, base: string, who: EmulatorUser & { then: string }): Promise<void> {
  await serveEmulatorAssets(page);
  await page.goto(`${base}/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(who.then)}`);
  await completeEmulatorLogin(page, who);
  await page.waitForURL((url) => url.pathname === new URL(who.then, base).pathname);
  await page.unroute(/^https:\/\//);
}

/** The cookie the login emulator sets once signed in: the principal as base64 JSON. */
export function loginCookie(roles: string[]): string {
  const principal = { identityProvider: 'aad', userId: 'u-1', userDetails: 'kim@example.com', userRoles: ['anonymous', 'authenticated', ...roles], claims: [] };
  return `StaticWebAppsAuthCookie=${Buffer.from(JSON.stringify(principal)).toString('base64')}`;
}
