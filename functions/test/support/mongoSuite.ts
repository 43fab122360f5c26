import { vi } from 'vitest';
import { Collection } from 'mongodb';
import { missingMongoServer, startMongoServer, type MongoServer } from './mongoServer.js';
import { describeOnServer } from './suite.js';

/**
 * A describe block whose tests run on a MongoDB-wire server started for it; `server()` gives its
 * connection string. Without one it is skipped with one line saying how to get one, except under
 * CI, where it fails: CI must never pass without having run the MongoDB suites.
 */
export function describeOnMongo(name: string, body: (server: () => MongoServer) => void): void {
  describeOnServer(name, { what: 'a MongoDB-wire server', missing: missingMongoServer(), start: startMongoServer, stop: (server) => server.stop() }, body);
}

/** The next insertOne into `collection` fails before it reaches the server, as a connection reset would. */
export function failNextInsert(collection: string): void {
  const insertOne = Collection.prototype.insertOne;
  const spy = vi.spyOn(Collection.prototype, 'insertOne').mockImplementation(function (this: Collection, ...args: Parameters<Collection['insertOne']>) {
    if (this.collectionName !== collection) return insertOne.apply(this, args);
    spy.mockRestore();
    return Promise.reject(new Error('connection reset'));
  });
}
