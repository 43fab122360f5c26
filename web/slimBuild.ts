import type { Plugin } from 'vite';

/**
 * Build plugins that keep code the storefront never runs out of its first load (see docs/operations.md,
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
    // The calls themselves go too: `__vitePreload(() => import("./x.js"), …)` becomes the bare
    // `import("./x.js")`, some 40 bytes gzip off the storefront's entry, which has seven.
    renderChunk(code) {
      if (!code.includes('__vitePreload(')) return null;
      const plain = code.replace(/__vitePreload\(\(\) => (import\("[^"]+"\)), (?:__VITE_PRELOAD__|\[\]|void 0)\)/g, '$1');
      if (plain.includes('__vitePreload(')) throw new Error('bestbuy:plain-dynamic-import: a __vitePreload call it does not recognise (web/slimBuild.ts)');
      return { code: plain, map: null };
    },
  };
}

/** One edit to a Svelte runtime file: `find` must occur exactly once, and keeps its line count. */
interface Edit {
  find: string | RegExp;
  replace: string;
}

const SVELTE_CLIENT = '/svelte/src/internal/client/';

/**
 * Svelte code this app cannot reach, made visibly unreachable so that the minifier drops it:
 *
 * - Hydration. Svelte guards its hydration code with one `hydrating` flag so that apps which only
 *   `mount()` can drop it; its own CI checks that Rollup tree-shakes it out. Rolldown (Vite 8)
 *   keeps it, because the flag is a `let` that is set, unreachably, inside hydration-only branches.
 *   The flag becomes the constant it is for an app that never calls `hydrate()` (which now throws
 *   instead of silently misbehaving). About 0.8 KB gzip.
 * - Async mode. Template expressions that `await`, and the blockers of a component's top-level
 *   `await`, exist only in components compiled with `experimental.async`, which also switches on
 *   `async_mode_flag`; without it the compiler refuses `await` there. Guarding the path that waits
 *   for them with that flag (false in this app, so a constant) drops it. About 0.5 KB gzip.
 * - The boundary `mount()` puts around every component. In Svelte 5.57 it is a
 *   `<svelte:boundary>` with an empty `pending` snippet, there so that a component's top-level
 *   `await` (async mode, above) has a boundary to wait in, and so that `mount`'s `transformError`
 *   option has one to act in. With neither (no `onerror`, no `failed`), the boundary rethrows
 *   every error, as a plain branch does: so a plain branch it is, as
 *   in earlier Svelte 5 releases.
 *   The runtime already allows for effects outside any boundary (`$effect.root`), and this app has
 *   no `<svelte:boundary>`, so boundary.js leaves the build. `transformError` now throws. About
 *   0.9 KB gzip.
 */
const EDITS: Record<string, Edit[]> = {
  'dom/hydration.js': [
    { find: 'export let hydrating = false;', replace: 'export const hydrating = false;' },
    {
      find: /export function set_hydrating\(value\) \{\n\thydrating = value;\n\}/,
      replace: `export function set_hydrating(value) {
\tif (value) throw new Error('hydrate() is off (slimBuild.ts)');
}`,
    },
  ],
  'render.js': [
    { find: "import { boundary } from './dom/blocks/boundary.js';", replace: "import { branch } from './reactivity/effects.js';" },
    {
      find: /boundary\(\n\t\t\t\/\*\* @type \{TemplateNode\} \*\/ \(anchor_node\),\n\t\t\t\{\n\t\t\t\tpending: \(\) => \{\}\n\t\t\t\},\n\t\t\t\(anchor_node\) => \{/,
      replace: "if (transformError) throw new Error('mount({ transformError }) is off (slimBuild.ts)');\n\t\tbranch(() => {\n\n\n\n\n",
    },
    { find: '\t\t\t},\n\t\t\ttransformError\n\t\t);', replace: '\t\t\t});\n\n' },
  ],
  'reactivity/async.js': [
    {
      find: "import { DEV } from 'esm-env';",
      replace: "import { DEV } from 'esm-env'; import { async_mode_flag } from '../../flags/index.js';",
    },
    {
      find: '\tif (async.length === 0 && pending.length === 0) {',
      replace: '\tif (!async_mode_flag || (async.length === 0 && pending.length === 0)) {',
    },
  ],
};

export function leanSvelte(): Plugin {
  return {
    name: 'bestbuy:lean-svelte',
    apply: 'build',
    transform(code, id) {
      const file = id.includes(SVELTE_CLIENT) ? id.slice(id.lastIndexOf(SVELTE_CLIENT) + SVELTE_CLIENT.length) : '';
      const edits = EDITS[file];
      if (!edits) return undefined;
      let edited = code;
      for (const { find, replace } of edits) {
        const found = typeof find === 'string' ? edited.split(find).length - 1 : (edited.match(new RegExp(find, 'g')) ?? []).length;
        if (found !== 1) throw new Error(`svelte/src/internal/client/${file} changed: review leanSvelte in web/slimBuild.ts`);
        edited = edited.replace(find, replace);
      }
      // Every edit keeps the file's lines as they were, so its source map still holds.
      return { code: edited, map: null };
    },
  };
}

/**
 * Svelte's compiled components import its whole client runtime through one barrel module
 * (`svelte/internal/client`), which has no code of its own, only re-exports. Rolldown counts the
 * barrel's re-exports as imports of every runtime module, so whatever runtime piece any lazy page
 * uses is "reachable" from the entry and lands in the entry chunk. Declaring the barrel free of
 * side effects (it is) lets each page reach only the pieces it uses. Rolldown then puts the
 * runtime the entry shares with lazy pages into a chunk of its own (rolldown/rolldown#10731),
 * 1.3 KB gzip more on the first load in two files; the group keeps everything the entry
 * statically needs in the entry's chunk. With two inputs in one build the group would merge both
 * first loads into one chunk, so this refuses more than one: give each HTML page a build of its own.
 */
const SVELTE_BARREL = /\/svelte\/src\/internal\/client\/index\.js$/;

export function firstLoadOnly(): Plugin {
  let inputs = 0;
  return {
    name: 'bestbuy:first-load-only',
    apply: 'build',
    options(options) {
      const { input } = options;
      inputs = typeof input === 'string' ? 1 : Array.isArray(input) ? input.length : Object.keys(input ?? {}).length;
      return null;
    },
    transform: (code, id) => (SVELTE_BARREL.test(id) ? { code, moduleSideEffects: false } : undefined),
    outputOptions(options) {
      if (inputs !== 1) throw new Error(`firstLoadOnly (web/slimBuild.ts) needs a build with one input, not ${inputs}.`);
      return { ...options, codeSplitting: { groups: [{ name: 'first-load', tags: ['$initial'] }] } };
    },
  };
}
