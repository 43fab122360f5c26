import { mount, unmount } from 'svelte';
import type { Attachment } from 'svelte/attachments';
import type { Product } from './api';
import ProductCard from './ProductCard.svelte';

/*
 * The catalog's two lists, rendered by these attachments rather than `{#each}`: the each-block
 * runtime alone would put 1.5 KB gzip on the first load, over its 15 KB budget (docs/operations.md,
 * Storefront, "Budgets"). The catalog only ever replaces its lists or appends to them, which is
 * all these handle.
 */

/**
 * One card per product, in order. Results are replaced (a new search) or extended ("Load more"):
 * cards whose product is the one already shown at that place stay mounted, so "Load more" keeps
 * the cards, their images and any focus inside them. The first row's pictures load at once, with
 * high priority: they are the page's largest paint.
 */
export function productCards(products: () => readonly Product[]): Attachment<HTMLElement> {
  return (list) => {
    const shown: Array<{ product: Product; card: object }> = [];
    $effect(() => {
      const next = products();
      let kept = 0;
      while (kept < shown.length && shown[kept]!.product === next[kept]) kept++;
      for (const { card } of shown.splice(kept)) void unmount(card);
      for (const product of next.slice(kept)) {
        shown.push({ product, card: mount(ProductCard, { target: list, props: { product } }) });
        // The first row at the widest layout (72rem across, 15rem a card). Set here, not as the
        // card's props: a dynamic attribute costs the first load Svelte's attribute helper
        // (~0.4 KB gzip). The picture's fetch has not started yet, so it follows.
        if (shown.length <= 4) Object.assign(list.lastElementChild!.querySelector('img')!, { loading: 'eager', fetchPriority: 'high' });
      }
    });
    return () => shown.forEach(({ card }) => void unmount(card));
  };
}

/** An `<option>` per name after the select's own options, `selected` chosen; rebuilt when either changes. */
export function options(names: readonly string[], selected: string): Attachment<HTMLSelectElement> {
  return (select) => {
    const added = names.map((name) => new Option(name, name, false, name === selected));
    select.append(...added);
    return () => added.forEach((option) => option.remove());
  };
}
