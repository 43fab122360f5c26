import { mount, unmount, type Component } from 'svelte';
import Catalog from '../pages/Catalog.svelte';
import { cartCount } from './cart.svelte';
import { dismissNotice, notice } from '$shared/notice.svelte';
import { location, route } from '$shared/router.svelte';
import { showAccount } from './session';

/**
 * The shell (header, notice, footer) is plain HTML in index.html; this keeps it current and shows
 * the page for the address in <main>. Only the catalog ships with the first load: every other
 * page loads on first visit.
 */
type Page = Component<{ id: string }>;
type Load = () => Promise<{ default: Page }>;

const pages: Array<[RegExp, Load]> = [
  [/^\/$/, async () => ({ default: Catalog })],
  [/^\/product\/([^/]*)\/?$/, () => import('../pages/Product.svelte')],
  [/^\/cart\/?$/, () => import('../pages/Cart.svelte')],
  [/^\/orders\/?$/, () => import('../pages/Orders.svelte')],
  [/^\/orders\/([^/]*)\/?$/, () => import('../pages/Order.svelte')],
  [/^\/account\/?$/, () => import('../pages/Account.svelte')],
];
const notFound: Load = () => import('../pages/NotFound.svelte');

export function startShell(): void {
  const main = document.getElementById('main')!;
  const links = document.querySelectorAll<HTMLAnchorElement>('nav a');
  let shown: ReturnType<typeof mount> | undefined;
  let firstView = true;

  function show(render: () => void): void {
    if (shown) unmount(shown);
    shown = undefined;
    main.replaceChildren();
    render();
    // After a client-side navigation, start keyboard and screen reader users at the new content.
    if (!firstView) main.focus();
    firstView = false;
  }

  function failed(): void {
    main.append((document.getElementById('page-failed') as HTMLTemplateElement).content.cloneNode(true));
    main.querySelector('button')!.onclick = () => window.location.reload();
  }

  // Who is signed in changes only the header: asked once the first page is on its way. Part of
  // the first load: as a chunk of its own it cost more (its file, and the bundler's namespace
  // helper in another) than its few bytes inside the entry.
  void showAccount();

  $effect.root(() => {
    $effect(() => {
      document.getElementById('cart-link')!.textContent = `Cart (${cartCount()})`;
    });
    $effect(() => {
      document.getElementById('notice')!.textContent = notice.text;
    });
    $effect(() => {
      const path = location.path;
      dismissNotice();
      for (const link of links) {
        if (link.pathname === path) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
      const [load, id] = route(pages, path, notFound);
      load().then(
        ({ default: page }) => path === location.path && show(() => (shown = mount(page, { target: main, props: { id } }))),
        () => path === location.path && show(failed),
      );
    });
  });
}
