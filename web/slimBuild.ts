import type { Plugin } from 'vite';

/**
 * Build plugins that keep code the storefront never runs out of its first load (see README,
 * Storefront, "Budgets"). Each one fails the build, rather than quietly doing nothing, if the code
 * it expects has changed under it.
 */

const PRELOAD_HELPER = '\0vite/preload-helper.js';

/**
 * Vite wraps every `import()` in `__vitePreload`, a ~1 KB gzip helper that preloads the chunk's
 * dependencies and stylesheets, even with `build.modulePreload: false` (vitejs/vite#18551). With
 * preloading off and one stylesheet for the whole site (`build.cssCodeSplit: false`), the helper
 * has nothing to do but call the import, so that is all this one does.
 */
export function plainDynamicImport(): Plugin {
  return {
    name: 'bestbuy:plain-dynamic-import',
    apply: 'build',
    enforce: 'pre',
    resolveId: (id) => (id === PRELOAD_HELPER ? id : undefined),
    load: (id) => (id === PRELOAD_HELPER ? 'export const __vitePreload = (load) => load();' : undefined),
  };
}

const HYDRATION = /\/svelte\/src\/internal\/client\/dom\/hydration\.js$/;
const HYDRATING = 'export let hydrating = false;';
const SET_HYDRATING = /export function set_hydrating\(value\) \{\s*hydrating = value;\s*\}/;

/**
 * Svelte guards its hydration code with one `hydrating` flag so that apps which only `mount()`
 * can drop it: its own CI checks that Rollup tree-shakes it out. Rolldown (Vite 8) keeps it,
 * because the flag is a `let` that is set, unreachably, inside hydration-only branches. Making the
 * flag the constant it is for an app that never calls `hydrate()` lets the minifier drop those
 * branches (about 0.8 KB gzip). `hydrate()` would throw instead of silently misbehaving.
 */
export function mountOnlySvelte(): Plugin {
  return {
    name: 'bestbuy:mount-only-svelte',
    apply: 'build',
    transform(code, id) {
      if (!HYDRATION.test(id)) return undefined;
      if (!code.includes(HYDRATING) || !SET_HYDRATING.test(code)) {
        throw new Error(`${id} changed: review mountOnlySvelte in web/slimBuild.ts`);
      }
      // Same lines as before: the file's source map still holds.
      const slim = code
        .replace(HYDRATING, 'export const hydrating = false;')
        .replace(
          SET_HYDRATING,
          `export function set_hydrating(value) {
  if (value) throw new Error('This build leaves out hydration (web/slimBuild.ts): use mount(), not hydrate().');
}`,
        );
      return { code: slim, map: null };
    },
  };
}
