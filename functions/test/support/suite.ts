import { afterAll, beforeAll } from 'vitest';

/**
 * Starts something before the enclosing describe block's tests and stops it after them.
 * Returns its accessor, which throws if called before the start (e.g. at collection time).
 */
export function forSuite<T>(what: string, start: () => Promise<T>, stop: (started: T) => Promise<unknown>): () => T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    if (started !== undefined) await stop(started);
  });
  return () => {
    if (started === undefined) throw new Error(`${what} is not running yet`);
    return started;
  };
}
