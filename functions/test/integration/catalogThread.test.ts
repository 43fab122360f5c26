import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readsInAThread } from '../../src/adapters/embedded/catalogReads.js';
import { SqliteFile } from '../../src/adapters/embedded/database.js';

const THREAD_SCRIPT = pathToFileURL(resolve('dist/adapters/embedded/catalogThread.js'));

/** The local host's catalog thread when it cannot read: its reads fail, none waits for good. */
describe('the catalog thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bestbuy-catalog-thread-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails each read while the file cannot be opened, and tries again at the next', async () => {
    const path = join(dir, 'store.db');
    const reads = readsInAThread(path, THREAD_SCRIPT);
    await expect(reads.read({ limit: 5 }, true)).rejects.toThrow(/unable to open/);
    await expect(reads.read({ q: 'lamp', limit: 5 }, false)).rejects.toThrow(/unable to open/);
    const file = new SqliteFile(path);
    expect(await reads.read({ q: 'lamp', limit: 5 }, true)).toEqual({ page: { items: [], nextCursor: null }, total: 0 });
    await reads.close();
    file.close();
  });
});
