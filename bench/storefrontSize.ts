import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * What the storefront's first load costs in stylesheets and pictures, read from the built web/dist.
 * Its scripts are counted as a browser fetches them (bench/lighthouse.ts, functions/test/browser/pages.test.ts):
 * reading static imports missed the chunks the entry loads at once.
 */
export interface StorefrontSize {
  /** index.html's stylesheets, gzipped. */
  cssGzipBytes: number;
  /** The largest image anywhere in the build, as stored. */
  largestImageBytes: number;
}

const IMAGE = /\.(svg|png|jpe?g|webp|avif|gif|ico)$/i;
/** `import … from "x"`, `import "x"`, `export … from "x"` — never `import("x")`, which loads later. */
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*(?:as\s+[\w$]+)?)?\s*(?:from\s*)?["']([^"']+)["']/g;

const attribute = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`, 'i').exec(tag)?.[1];

/** Site paths (e.g. /assets/index-abc.js) of everything index.html loads before the page can run. */
export function firstLoadFiles(distDir: string): { js: string[]; css: string[] } {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const js = new Set<string>();
  const css = new Set<string>();
  for (const tag of html.match(/<(?:script|link)\b[^>]*>/gi) ?? []) {
    const local = (url: string | undefined) => (url && url.startsWith('/') && !url.startsWith('//') ? url : undefined);
    if (/^<script/i.test(tag)) {
      const src = local(attribute(tag, 'src'));
      if (src) js.add(src);
      continue;
    }
    const rel = attribute(tag, 'rel')?.toLowerCase();
    const href = local(attribute(tag, 'href'));
    if (href && rel === 'stylesheet') css.add(href);
    if (href && rel === 'modulepreload') js.add(href);
  }
  const pending = [...js];
  while (pending.length > 0) {
    const url = pending.pop()!;
    const code = readFileSync(join(distDir, url), 'utf8');
    for (const [, specifier] of code.matchAll(STATIC_IMPORT)) {
      if (!specifier || !/^\.{0,2}\//.test(specifier)) continue; // bare or remote: not ours to count
      const imported = posix.resolve(posix.dirname(url), specifier);
      if (!js.has(imported)) {
        js.add(imported);
        pending.push(imported);
      }
    }
  }
  return { js: [...js].sort(), css: [...css].sort() };
}

/** Files of `distDir` by site path (/assets/x.js), gzipped (level 9) one by one, summed. */
export function gzipBytes(distDir: string, urls: readonly string[]): number {
  return urls.reduce((sum, url) => sum + gzipSync(readFileSync(join(distDir, url)), { level: 9 }).length, 0);
}

function largestImage(dir: string): number {
  let largest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) largest = Math.max(largest, largestImage(path));
    else if (IMAGE.test(entry.name)) largest = Math.max(largest, statSync(path).size);
  }
  return largest;
}

/** Measures the built storefront in `distDir` (web/dist after `npm run build`). */
export async function storefrontSize(distDir: string): Promise<StorefrontSize> {
  const { css } = firstLoadFiles(distDir);
  return { cssGzipBytes: gzipBytes(distDir, css), largestImageBytes: largestImage(distDir) };
}
