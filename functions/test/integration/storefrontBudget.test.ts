import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLoadFiles, storefrontSize } from '../../../bench/storefrontSize.js';

const DIST = resolve('web/dist');
const KB = 1024;

// The first load's JavaScript (15 KB gzip) is counted as Chromium fetches it: functions/test/browser/pages.test.ts.

describe('storefront budgets (web/dist as npm run build leaves it)', () => {
  it('first load: CSS within 5 KB gzip, every image within 10 KB', async () => {
    const size = await storefrontSize(DIST);
    console.info(`storefront first load: CSS ${(size.cssGzipBytes / KB).toFixed(1)} KB gzip, largest image ${(size.largestImageBytes / KB).toFixed(1)} KB`);
    expect(size.cssGzipBytes).toBeLessThanOrEqual(5 * KB);
    expect(size.largestImageBytes).toBeLessThanOrEqual(10 * KB);
  });

  it('loads the catalog at once and every other page only when visited', () => {
    const { js, css } = firstLoadFiles(DIST);
    expect(js.length).toBeGreaterThan(0);
    expect(css.length).toBeGreaterThan(0);
    // Page chunks are named after their component; none but the catalog belongs to the first load.
    expect(js.filter((file) => /\/(Cart|Order|Orders|Product|NotFound|Admin)-[\w-]+\.js$/.test(file))).toEqual([]);
  });
});
