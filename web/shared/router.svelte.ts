/** A small History API router for both apps: the current location as state, and links that navigate without a reload. */

export const location = $state({ path: window.location.pathname, search: window.location.search });

function sync() {
  location.path = window.location.pathname;
  location.search = window.location.search;
}

/** Goes to `href` on this site; `replace` keeps the history entry (e.g. refining a search). */
export function navigate(href: string, { replace = false } = {}): void {
  const url = new URL(href, window.location.href);
  if (url.pathname + url.search === location.path + location.search) return;
  history[replace ? 'replaceState' : 'pushState'](null, '', url.pathname + url.search + url.hash);
  sync();
  window.scrollTo(0, 0);
}

export function query(name: string): string {
  return new URLSearchParams(location.search).get(name) ?? '';
}

/**
 * Takes over plain left-clicks on same-origin links to the paths this app draws (`draws`); anything
 * else (new tab, download, the other app, /api, /.auth, #in-page) goes to the browser.
 */
export function startRouter(draws: RegExp): void {
  window.addEventListener('popstate', sync);
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element).closest('a');
    if (!link || link.target || link.hasAttribute('download') || link.origin !== window.location.origin || !draws.test(link.pathname)) return;
    if (link.hash && link.pathname + link.search === location.path + location.search) return; // in-page, e.g. the skip link
    event.preventDefault();
    navigate(link.href);
  });
}

/** The page of the first row whose pattern matches `path`, and its one %-decoded parameter (the id); else `fallback`. */
export function route<T>(rows: Array<[RegExp, T]>, path: string, fallback: T): [page: T, id: string] {
  for (const [pattern, page] of rows) {
    const match = pattern.exec(path);
    if (!match) continue;
    try {
      return [page, decodeURIComponent(match[1] ?? '')];
    } catch {
      break; // a malformed %-escape names nothing
    }
  }
  return [fallback, ''];
}
