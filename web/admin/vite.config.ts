import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import storefront from '../vite.config.ts';

const web = fileURLToPath(new URL('..', import.meta.url));

/**
 * The employees' admin page, built after the storefront into the same web/dist: admin/index.html
 * with its files in /assets. A build of its own rather than a second input of the storefront's
 * build, so the two share no chunk and nothing the admin page uses lands in the storefront's
 * first load. The `$shared` alias (web/shared, the module both apps use) comes with the storefront's
 * config.
 */
export default mergeConfig(storefront, {
  publicDir: false,
  build: {
    emptyOutDir: false,
    rollupOptions: { input: { admin: `${web}admin/index.html` } },
  },
});
