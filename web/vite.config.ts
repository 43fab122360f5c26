import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The storefront: web/index.html + web/src → web/dist; web/public (images, staticwebapp.config.json) is copied as is. */
export default defineConfig({
  root,
  plugins: [svelte({ compilerOptions: { discloseVersion: false } })],
  // npm run dev:web: the API comes from a running `npm run host`.
  server: { proxy: { '/api': 'http://127.0.0.1:7071' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every asset is a file under /assets, whose hashed names are cached as immutable.
    assetsInlineLimit: 0,
    // Every browser the store supports knows modulepreload: no polyfill on the first load.
    modulePreload: { polyfill: false },
  },
});
