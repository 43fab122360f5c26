import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { firstLoadOnly, leanSvelte, plainDynamicImport } from './slimBuild.ts';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The storefront: web/index.html + web/src → web/dist; web/public (images, staticwebapp.config.json) is copied as is. */
export default defineConfig({
  root,
  // The module both apps share (router, formatting, the API request helper, notices, stylesheet);
  // the admin page's config inherits it.
  resolve: { alias: { $shared: fileURLToPath(new URL('./shared', import.meta.url)) } },
  plugins: [svelte({ compilerOptions: { discloseVersion: false } }), plainDynamicImport(), leanSvelte(), firstLoadOnly()],
  // npm run dev:web: the API comes from a running `npm run host`.
  server: { proxy: { '/api': 'http://127.0.0.1:7071' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every asset is a file under /assets, whose hashed names are cached as immutable.
    assetsInlineLimit: 0,
    // Lazy pages load their few shared chunks themselves: no preload helper on the first load
    // (see slimBuild.ts), and one stylesheet for every page.
    modulePreload: false,
    cssCodeSplit: false,
    rolldownOptions: {
      // Inline every constant, across modules too: Svelte's flags (see slimBuild.ts) then fold into
      // the lazy pages' own code instead of being exported from the entry for them (-60 bytes).
      optimization: { inlineConst: { mode: 'all' } },
    },
  },
});
