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

/**
 * Signs in through the CLI's login emulator as a person would: opens /.auth/login/aad, types a
 * user name and the roles (one a line), and submits. The emulator keeps what was typed (on each
 * key press) and sets the StaticWebAppsAuthCookie cookie, then goes to `then`.
 */
export async function signInThroughEmulator(page: Page, base: string, who: { userDetails: string; roles: string[]; then: string }): Promise<void> {
  await serveEmulatorAssets(page);
  await page.goto(`${base}/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(who.then)}`);
  await page.locator('#userDetails').fill(who.userDetails);
  await page.locator('#userDetails').press('End');
  await page.locator('#userRoles').fill(who.roles.join('\n'));
  await page.locator('#userRoles').press('End');
  await page.getByRole('button', { name: 'Login' }).click();
  await page.waitForURL((url) => url.pathname === new URL(who.then, base).pathname);
  await page.unroute(/^https:\/\//);
}

/** The cookie the login emulator sets once signed in: the principal as base64 JSON. */
export function loginCookie(roles: string[]): string {
  const principal = { identityProvider: 'aad', userId: 'u-1', userDetails: 'kim@example.com', userRoles: ['anonymous', 'authenticated', ...roles], claims: [] };
  return `StaticWebAppsAuthCookie=${Buffer.from(JSON.stringify(principal)).toString('base64')}`;
}
