import { afterAll, beforeAll, describe, it } from 'vitest';

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

/**
 * A describe block whose tests run on a server started for it (`server()` gives it). Without one
 * (`missing` says why and how to get one) it is skipped with one line saying so, except under CI,
 * where it fails: CI must never pass without having run these suites.
 */
export function describeOnServer<T>(
  name: string,
  server: { what: string; missing: string | undefined; start: () => Promise<T>; stop: (started: T) => Promise<unknown> },
  body: (server: () => T) => void,
): void {
  const { what, missing } = server;
  if (!missing) {
    describe(name, () => body(forSuite(what, server.start, server.stop)));
  } else if (process.env.CI) {
    describe(name, () => it(`has ${what} to run on`, () => {
      throw new Error(`CI must run the suites that need ${what}, and ${missing}`);
    }));
  } else {
    console.warn(`${name}: skipped, ${missing}`);
    describe.skip(name, () => it(`needs ${what}`, () => {}));
  }
}
