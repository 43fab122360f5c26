import { constants, setPriority } from 'node:os';
import { ADJECTIVES, NOUNS, WORDS } from './catalogWords.js';

/**
 * The catalog run's load, in a process of its own at the lowest CPU priority: keep-alive clients
 * that search at random or page through the whole catalog, over and over until told to stop, then
 * say how many requests they made. Apart from the probe, so its timings are the host's and not the
 * wait behind the load's own fetches and JSON parsing (which took the probe's p99 from a few ms to
 * tens of ms while the host sat two-thirds idle); at the lowest priority, so that on a machine of
 * two cores the load stands in for visitors on machines of their own: it takes the CPU the host
 * and the probe leave, not theirs (docs/benchmarks.md has the runs at normal priority).
 */
export interface CatalogClients {
  base: string;
  kind: 'search' | 'page';
  clients: number;
}

/** A search a shopper might type: one to three words or prefixes from the catalog's own vocabulary. */
function randomSearch(): string {
  const vocabulary = [...ADJECTIVES, ...NOUNS, ...WORDS];
  const words = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () => {
    const word = vocabulary[Math.floor(Math.random() * vocabulary.length)]!;
    return word.slice(0, 2 + Math.floor(Math.random() * (word.length - 1)));
  });
  return words.join(' ');
}

setPriority(constants.priority.PRIORITY_LOW);
const { base, kind, clients } = JSON.parse(process.argv[2]!) as CatalogClients;
let running = true;
let requests = 0;

const search = async () => {
  const response = await fetch(`${base}/api/products?q=${encodeURIComponent(randomSearch())}&limit=24`);
  await response.arrayBuffer();
  requests++;
};

/** One client's walk through the whole catalog, page after page by nextCursor. */
const pageThrough = async () => {
  let cursor: string | null = null;
  do {
    const response: Response = await fetch(`${base}/api/products?limit=24${cursor ? `&cursor=${cursor}` : ''}`);
    cursor = ((await response.json()) as { nextCursor: string | null }).nextCursor;
    requests++;
  } while (cursor && running);
};

const loops = Array.from({ length: clients }, async () => {
  while (running) await (kind === 'search' ? search : pageThrough)().catch(() => undefined);
});

process.once('message', async () => {
  running = false;
  await Promise.all(loops);
  process.send!(requests, () => process.exit(0));
});
