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

/** The page itself scrolls only up and down: nothing sticks out to the side at this width. */
export async function expectNoSidewaysScroll(page: Page, label = page.url()): Promise<void> {
  const { scrollWidth, clientWidth, sticking } = await page.evaluate(() => {
    const root = document.scrollingElement!;
    // The innermost elements reaching past the right edge: what to fix when this fails.
    const sticking = Array.from(document.body.querySelectorAll('*'))
      .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 0.5)
      .filter((element, _, all) => !all.some((other) => other !== element && element.contains(other)))
      .map((element) => element.outerHTML.slice(0, 100));
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, sticking };
  });
  expect(scrollWidth, `sideways scroll on ${label}: ${sticking.join(' | ')}`).toBeLessThanOrEqual(clientWidth);
}

/**
 * Every link, button and form control in view can be clicked where it shows: the element at its
 * centre is the control itself (or inside it), not something laid over it. Checked at every
 * half screen from the top of the page to its bottom.
 */
export async function expectControlsUncovered(page: Page, label = page.url()): Promise<void> {
  const covered = await page.evaluate(() => {
    const problems = new Set<string>();
    const root = document.scrollingElement!;
    for (let top = 0; ; top += window.innerHeight / 2) {
      window.scrollTo(0, top);
      for (const control of Array.from(document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary'))) {
        // The first line's box: a link that wraps has nothing of its own at the centre of the whole.
        const box = control.getClientRects()[0];
        if (!box || box.width <= 1 || box.height <= 1) continue; // not shown, or visually hidden
        const x = box.left + box.width / 2;
        const y = box.top + box.height / 2;
        if (y < 0 || y > window.innerHeight || x < 0 || x > window.innerWidth) continue; // out of view
        const hit = document.elementFromPoint(x, y);
        if (!hit || !(control.contains(hit) || (control instanceof HTMLInputElement && control.labels?.[0]?.contains(hit)))) {
          problems.add(`${control.outerHTML.slice(0, 80)} under ${hit?.outerHTML.slice(0, 80)}`);
        }
      }
      if (top + window.innerHeight >= root.scrollHeight) break;
    }
    window.scrollTo(0, 0);
    return [...problems];
  });
  expect(covered, `covered controls on ${label}`).toEqual([]);
}
