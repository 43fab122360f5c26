import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Node } from 'web-tree-sitter';
import { ensureIndexes, STORE_INDEXES, type IndexedDb } from '../../src/adapters/azure/mongo.js';
import { bicepParser } from '../support/bicepLint.js';
import { openMongoDatabase, type MongoDatabase } from '../support/mongoServer.js';
import { describeOnMongo } from '../support/mongoSuite.js';

type Key = Record<string, unknown>;
const mongoError = (code: number, message: string) => Object.assign(new Error(message), { code });

/**
 * A collection that answers index commands as MongoDB does: the same keys under a second name
 * are refused with 85, a taken name on other keys with 86, and a collection that does not exist
 * has no index list (26). As on Cosmos DB, a unique index is refused once it holds documents.
 */
class FakeCollection {
  exists = true;
  holdsDocuments = false;
  indexes: Array<{ name: string; key: Key }> = [{ name: '_id_', key: { _id: 1 } }];
  /** Every createIndex call, and the indexes really created. */
  attempts: string[] = [];
  created: string[] = [];
  /** Runs before each create, e.g. another instance winning the race, or a failure. */
  beforeCreate: (key: Key, name: string) => void = () => {};

  listIndexes() {
    return {
      toArray: async () => {
        if (!this.exists) throw mongoError(26, 'ns does not exist');
        return this.indexes.map((index) => ({ v: 2, ...index }));
      },
    };
  }

  /** As on FerretDB: a TTL index is refused, 238 NotImplemented. */
  noTtlIndexes = false;

  async createIndex(key: Record<string, 1>, { name, unique, expireAfterSeconds }: { name: string; unique: boolean; expireAfterSeconds?: number }): Promise<string> {
    this.attempts.push(name);
    this.beforeCreate(key, name);
    if (expireAfterSeconds !== undefined && this.noTtlIndexes) throw mongoError(238, 'Index option "expireAfterSeconds" is not implemented yet');
    if (unique && this.holdsDocuments) throw mongoError(67, `cannot create unique index ${name} on a collection that is not empty`);
    const sameKey = this.indexes.find((index) => JSON.stringify(index.key) === JSON.stringify(key));
    if (sameKey && sameKey.name !== name) throw mongoError(85, `Index already exists with a different name: ${sameKey.name}`);
    const sameName = this.indexes.find((index) => index.name === name);
    if (sameName && JSON.stringify(sameName.key) !== JSON.stringify(key)) throw mongoError(86, `An existing index has the same name as the requested index: ${name}`);
    if (!sameKey) {
      this.exists = true;
      this.indexes.push({ name, key });
      this.created.push(name);
    }
    return name;
  }
}

function fakeDb() {
  const collections = new Map<string, FakeCollection>();
  const collection = (name: string) => {
    if (!collections.has(name)) collections.set(name, new FakeCollection());
    return collections.get(name)!;
  };
  const db: IndexedDb = { collection };
  return { db, collection };
}

const ascending = (fields: readonly string[]): Key => Object.fromEntries(fields.map((field) => [field, 1]));

/** Every collection given the store's indexes as a Bicep deployment leaves them: ARM names them, not us. */
function provisionedByArm(collection: (name: string) => FakeCollection) {
  for (const [name, wanted] of Object.entries(STORE_INDEXES)) {
    collection(name).indexes.push(...wanted.map((index) => ({ name: index.fields.map((field) => `${field}_1`).join('_'), key: ascending(index.fields) })));
  }
}

describe('MongoDB indexes at start', () => {
  it('accepts the indexes Bicep made under its own names, and creates nothing', async () => {
    const { db, collection } = fakeDb();
    provisionedByArm(collection);
    await ensureIndexes(db);
    for (const name of Object.keys(STORE_INDEXES)) expect(collection(name).attempts).toEqual([]);
  });

  it('creates every index on a database that has no collections yet', async () => {
    const { db, collection } = fakeDb();
    for (const name of Object.keys(STORE_INDEXES)) collection(name).exists = false;
    await ensureIndexes(db);
    expect(collection('products').created).toEqual(['catalog_order', 'by_tag', 'search_keys', 'low_stock']);
    expect(collection('orders').created).toEqual(['by_created', 'by_status_created', 'by_owner_created', 'by_number', 'sweep_due']);
    expect(collection('orderNumbers').created).toEqual([]);
    expect(collection('audit').created).toEqual(['by_time']);
    expect(collection('products').indexes.map((index) => index.key)).toContainEqual({ nameKey: 1, _id: 1 });
  });

  it('gives an orders collection that already holds orders its number index', async () => {
    const { db, collection } = fakeDb();
    provisionedByArm(collection);
    const orders = collection('orders');
    orders.indexes = orders.indexes.filter((index) => !('number' in index.key));
    orders.holdsDocuments = true;
    await ensureIndexes(db);
    expect(orders.created).toEqual(['by_number']);
  });

  it('creates only the missing one beside an existing one of another name', async () => {
    const { db, collection } = fakeDb();
    provisionedByArm(collection);
    collection('products').indexes = collection('products').indexes.filter((index) => !('tags' in index.key));
    await ensureIndexes(db);
    expect(collection('products').attempts).toEqual(['by_tag']);
    expect(collection('orders').attempts).toEqual([]);
  });

  it.each([85, 86])('accepts conflict %i when another instance starting at the same moment made the index', async (code) => {
    const { db, collection } = fakeDb();
    collection('orders').beforeCreate = (key, name) => {
      collection('orders').indexes.push({ name: `${name}_by_the_other_instance`, key });
      throw mongoError(code, 'index conflict');
    };
    await expect(ensureIndexes(db)).resolves.toBeUndefined();
    expect(collection('orders').indexes.map((index) => index.key)).toEqual([
      { _id: 1 },
      { createdAt: 1, _id: 1 },
      { status: 1, createdAt: 1, _id: 1 },
      { ownerKey: 1, createdAt: 1, _id: 1 },
      { number: 1 },
      { sweepAt: 1 },
    ]);
  });

  it('lets only a TTL index go on a server that has none (FerretDB: 238 NotImplemented)', async () => {
    const { db, collection } = fakeDb();
    for (const name of Object.keys(STORE_INDEXES)) collection(name).noTtlIndexes = true;
    await ensureIndexes(db);
    expect(collection('rateCounters').attempts).toEqual(['expiry']);
    expect(collection('rateCounters').created).toEqual([]);
    expect(collection('audit').created).toEqual(['by_time']);

    const notImplemented = fakeDb();
    notImplemented.collection('audit').beforeCreate = () => {
      throw mongoError(238, 'not implemented');
    };
    await expect(ensureIndexes(notImplemented.db)).rejects.toThrow('not implemented');
  });

  it('stops the start when our index name is taken by other keys, or on any other error', async () => {
    const taken = fakeDb();
    taken.collection('products').indexes.push({ name: 'by_tag', key: { category: 1 } });
    await expect(ensureIndexes(taken.db)).rejects.toMatchObject({ code: 86 });

    const refused = fakeDb();
    refused.collection('audit').beforeCreate = () => {
      throw mongoError(13, 'not authorized to create indexes');
    };
    await expect(ensureIndexes(refused.db)).rejects.toThrow('not authorized');

    const unreadable = fakeDb();
    unreadable.collection('products').listIndexes = () => ({ toArray: () => Promise.reject(mongoError(13, 'not authorized to list indexes')) });
    await expect(ensureIndexes(unreadable.db)).rejects.toThrow('not authorized to list indexes');
  });
});

/** What the fake above claims of MongoDB, on a real MongoDB-wire server: all but Cosmos DB's rule on unique indexes. */
describeOnMongo('MongoDB indexes at start, on a MongoDB-wire server', (server) => {
  let mongo: MongoDatabase;
  beforeEach(async () => {
    // connectMongo already ran ensureIndexes once, on a database with no collections (code 26).
    mongo = await openMongoDatabase(server().uri);
  });
  afterEach(async () => mongo.close());
  // Less the TTL index: a server without TTL indexes (FerretDB) refuses it, so each start asks for it again.
  const indexCreation = (command: string) => command.endsWith('.createIndexes') && command !== 'rateCounters.createIndexes';
  const keysOf = async (name: string) => (await mongo.db.collection(name).listIndexes().toArray()).map((index) => index.key as Key);

  it('creates every index on a database that has no collections yet, and nothing the second time', async () => {
    // orderNumbers wants none, so nothing made it yet: listing its indexes is the 26 ensureIndexes met.
    await expect(keysOf('orderNumbers')).rejects.toMatchObject({ code: 26 });
    // Less the TTL index on _ts: FerretDB has no TTL indexes (ensureIndexes lets it go there; docs/testing.md).
    const untimed = (wanted: ReadonlyArray<{ fields: readonly string[] }>) => wanted.filter((index) => !('expireAfterSeconds' in index));
    for (const [name, wanted] of Object.entries(STORE_INDEXES).filter(([, wanted]) => untimed(wanted).length)) {
      expect(await keysOf(name)).toEqual(expect.arrayContaining(untimed(wanted).map((index) => ascending(index.fields))));
    }
    mongo.commands.splice(0);
    await ensureIndexes(mongo.db);
    expect(mongo.commands.filter(indexCreation)).toEqual([]);
  });

  it('refuses the same keys under a second name (85) and a taken name on other keys (86), as the fake does', async () => {
    const products = mongo.db.collection('products');
    await expect(products.createIndex({ tags: 1 }, { name: 'tags_1' })).rejects.toMatchObject({ code: 85 });
    await expect(products.createIndex({ category: 1 }, { name: 'by_tag' })).rejects.toMatchObject({ code: 86 });
  });

  it('accepts indexes made under other names, as Bicep makes them, and creates nothing', async () => {
    const audit = mongo.db.collection('audit');
    await audit.dropIndex('by_time');
    await audit.createIndex({ at: 1, _id: 1 }, { name: 'at_1__id_1' });
    mongo.commands.splice(0);
    await ensureIndexes(mongo.db);
    expect(mongo.commands.filter(indexCreation)).toEqual([]);
  });
});

/** The value of a Bicep expression made of literals, arrays, objects and other variables. */
function bicepValue(node: Node, variables: Map<string, Node>): unknown {
  switch (node.type) {
    case 'string':
      return node.namedChildren.map((child) => child.text).join('');
    case 'boolean':
      return node.text === 'true';
    case 'number':
      return Number(node.text);
    case 'array':
      return node.namedChildren.map((child) => bicepValue(child, variables));
    case 'object':
      return Object.fromEntries(
        node.namedChildren
          .filter((child) => child.type === 'object_property')
          .map((property) => [property.namedChildren[0]!.text, bicepValue(property.namedChildren.at(-1)!, variables)]),
      );
    case 'identifier': {
      const variable = variables.get(node.text);
      if (!variable) throw new Error(`${node.text} is not a variable of main.bicep`);
      return bicepValue(variable, variables);
    }
    default:
      throw new Error(`cannot evaluate ${node.type}: ${node.text}`);
  }
}

describe('infra/main.bicep collections', () => {
  it('declares exactly the indexes the app needs (and _id), so a provision drops none of them', async () => {
    const tree = (await bicepParser()).parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'infra', 'main.bicep'), 'utf8'))!;
    const variables = new Map(
      tree.rootNode.namedChildren
        .filter((node) => node.type === 'variable_declaration')
        .map((node) => [node.namedChildren[0]!.text, node.namedChildren.at(-1)!]),
    );
    type Declared = { key: { keys: string[] }; options?: { unique?: boolean; expireAfterSeconds?: number } };
    const collections = bicepValue(variables.get('collections')!, variables) as Array<{ name: string; indexes: Declared[] }>;
    const declared = Object.fromEntries(
      collections.map((c) => [
        c.name,
        c.indexes.map((index) => ({ keys: index.key.keys, unique: index.options?.unique ?? false, expireAfterSeconds: index.options?.expireAfterSeconds })),
      ]),
    );
    const needed = Object.fromEntries(
      Object.entries(STORE_INDEXES).map(([name, indexes]) => [
        name,
        [
          { keys: ['_id'], unique: false, expireAfterSeconds: undefined },
          ...indexes.map((index) => ({
            keys: [...index.fields],
            unique: 'unique' in index && index.unique,
            expireAfterSeconds: 'expireAfterSeconds' in index ? index.expireAfterSeconds : undefined,
          })),
        ],
      ]),
    );
    expect(declared).toEqual(needed);
  });
});
