import { location, navigate, query } from '../../../src/lib/router.svelte';

export { location, navigate, query };

/** Paths the admin page draws itself; every other link (the storefront, /.auth, /api) loads as a page. */
const ADMIN_PATH = /^\/admin(\/|$)/;

/** Takes over plain left-clicks on links within /admin, using the storefront's History API router. */
export function startAdminRouter(): void {
  window.addEventListener('popstate', () => {
    location.path = window.location.pathname;
    location.search = window.location.search;
  });
  document.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element).closest('a');
    if (!link || link.target || link.origin !== window.location.origin || !ADMIN_PATH.test(link.pathname)) return;
    if (link.hash && link.pathname === window.location.pathname) return; // in-page, e.g. the skip link
    event.preventDefault();
    navigate(link.href);
  });
}

