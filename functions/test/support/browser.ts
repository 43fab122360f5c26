import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, expect } from 'vitest';
import { forSuite } from './suite.js';

/** Debian's Chromium (apt-get install chromium); playwright-core downloads no browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface WatchedPage {
  page: Page;
  /** Uncaught errors and Content-Security-Policy violations seen so far. */
  problems: string[];
}

/** Records the page's script errors and Content-Security-Policy violations. */
export function watchPage(page: Page): WatchedPage {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
  });
  return { page, problems };
}

/** A page in a fresh context (its own cookies and localStorage), watched. */
export async function openPage(browser: Browser, viewport = { width: 1200, height: 900 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport });
  return watchPage(await context.newPage());
}

/**
 * One Chromium for the enclosing describe block. `open` gives a watched page in a fresh context,
 * `watch` watches another page (e.g. a second tab of a signed-in context); after the block, no
 * page may have left a script error or a Content-Security-Policy violation behind.
 */
export function useChromium(): { open(viewport?: { width: number; height: number }): Promise<Page>; watch(page: Page): Page } {
  const browser = forSuite('Chromium', launchChromium, (started) => started.close());
  const watched: WatchedPage[] = [];
  afterAll(() => {
    expect(watched.flatMap((each) => each.problems)).toEqual([]);
  });
  return {
    async open(viewport) {
      const opened = await openPage(browser(), viewport);
      watched.push(opened);
      return opened.page;
    },
    watch(page) {
      watched.push(watchPage(page));
      return page;
    },
  };
}

let axeSource: string | undefined;

/**
 * Runs axe-core on the page as it is now; fails with every violation and the nodes involved.
 * axe goes in through the DevTools protocol: page.addScriptTag would add an inline script,
 * which the store's Content-Security-Policy (rightly) refuses.
 */
export async function expectNoAxeViolations(page: Page, label = page.url()): Promise<void> {
  axeSource ??= readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
    const { violations } = await axe.run();
    return violations.map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`);
  });
  expect(violations, `axe-core on ${label}`).toEqual([]);
}
