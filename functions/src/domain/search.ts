/**
 * Catalog search, the same rules on every store: a product's name, description and tags are cut
 * into words, and every word gives its prefixes as search keys; a query is cut into words the same
 * way, and a product matches when each of the query's words is one of its keys. So "lam desk"
 * finds "Desk Lamp", in any case and word order, while "amp" (inside a word) does not. Stores hold
 * the keys beside the product, in an index, so a search looks up keys rather than reading every
 * product. Matches come in the order the query asks (domain/catalogSort.ts), as every catalog page does.
 */

/** The longest query the catalog takes, in characters, and the most words in it. */
export const MAX_QUERY_CHARS = 100;
export const MAX_QUERY_WORDS = 8;
/**
 * Words are keyed up to this many characters: a longer word is found by its first 24, and a
 * longer query word is cut to 24 too, so the two sides always agree.
 */
export const MAX_KEY_CHARS = 24;
/** Tags are matched whole, by the tag filter, under keys of their own: "#" never starts a word. */
const TAG_KEY = '#';

/** Letters (with their marks) and digits, any script; everything else separates words. */
const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu;

/** The words of a text, lower-cased (any letter, not only A-Z) and cut to MAX_KEY_CHARS. */
function wordsOf(text: string): string[] {
  return (text.normalize('NFC').toLowerCase().match(WORD) ?? []).map((word) => [...word].slice(0, MAX_KEY_CHARS).join(''));
}

/** Every prefix of the word, by whole characters, the word itself last. */
function prefixesOf(word: string): string[] {
  const characters = [...word];
  return characters.map((_, end) => characters.slice(0, end + 1).join(''));
}

export interface Searchable {
  name: string;
  description: string;
  tags: readonly string[];
}

/** The keys a store files the product under, each once and sorted: its words' prefixes, and its tags. */
export function searchKeys(product: Searchable): string[] {
  const keys = new Set<string>();
  for (const text of [product.name, product.description, ...product.tags]) {
    for (const word of wordsOf(text)) for (const prefix of prefixesOf(word)) keys.add(prefix);
  }
  for (const tag of product.tags) keys.add(tagKey(tag));
  return [...keys].sort();
}

/** The key a product carrying this tag is filed under. */
export function tagKey(tag: string): string {
  return `${TAG_KEY}${tag}`;
}

/**
 * The keys a product must all have to match the query: one per distinct word, none when there is
 * no query. A query with no letter or digit in it ("%", "()") matches nothing rather than all.
 */
export function queryKeys(query: { q?: string | undefined; tag?: string | undefined }): string[] | 'nothing' {
  const keys = query.q === undefined || query.q === '' ? [] : [...new Set(wordsOf(query.q))];
  if (query.q && keys.length === 0) return 'nothing';
  if (query.tag) keys.push(tagKey(query.tag));
  return keys;
}

/** Control characters, and Unicode's line and paragraph separators. */
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;

/** Why a shopper's query cannot be searched, or null when it can: what the API answers 400 for. */
export function queryProblem(q: string): string | null {
  if (CONTROL.test(q)) return 'must be text, without control characters';
  if ([...q].length > MAX_QUERY_CHARS) return `must be at most ${MAX_QUERY_CHARS} characters`;
  if (wordsOf(q).length > MAX_QUERY_WORDS) return `must be at most ${MAX_QUERY_WORDS} words`;
  return null;
}
