/** A small History API router: the current location as state, and links that navigate without a reload. */

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

/** Takes over plain left-clicks on same-origin links; anything else (new tab, download, /api, /.auth, #in-page) goes to the browser. */
export function startRouter(): void {
  window.addEventListener('popstate', sync);
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element).closest('a');
    if (!link || link.target || link.hasAttribute('download') || link.origin !== window.location.origin) return;
    if (/^\/(api|\.auth|admin)(\/|$)/.test(link.pathname)) return;
    if (link.hash && link.pathname + link.search === location.path + location.search) return; // in-page, e.g. the skip link
    event.preventDefault();
    navigate(link.href);
  });
}
