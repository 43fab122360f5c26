import type { Db } from 'mongodb';
import { STORE_INDEXES } from '../functions/src/adapters/azure/mongo.js';

/**
 * An in-memory stand-in for the driver's Db, just wide enough for the order path of the MongoDB
 * adapters (products and orders by id, conditional updates, ordered bulk writes) and the low-stock
 * list and restock (sorted finds, findOneAndUpdate), and the catalog (searches by equality on
 * array fields, $and/$or, counts and distinct). It counts every
 * driver call, each one a round trip to the server: the driver sends an ordered bulk write of
 * updateOne operations as one update command. Any filter or update operator it does not know
 * throws, so it never quietly answers something a real server would not. Inserts keep _id and the
 * store's unique indexes (STORE_INDEXES) unique, as a server does.
 */

type Doc = Record<string, unknown>;

const isOperatorObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((key) => key.startsWith('$'));

function read(doc: Doc, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value && typeof value === 'object' ? (value as Doc)[key] : undefined), doc);
}

function parentOf(doc: Doc, path: string): [Doc, string] {
  const keys = path.split('.');
  const last = keys.pop()!;
  let node = doc;
  for (const key of keys) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Doc;
  }
  return [node, last];
}

/** Strings and numbers compare within their own type, as a server compares values of one BSON type. */
const comparable = (value: unknown, operand: unknown) =>
  (typeof value === 'number' && typeof operand === 'number') || (typeof value === 'string' && typeof operand === 'string');

/** An equality on an array field matches any of its elements, as a multikey index serves it. */
const equals = (value: unknown, condition: unknown) => (Array.isArray(value) ? value.includes(condition) : value === condition);

function matches(doc: Doc, filter: Doc): boolean {
  return Object.entries(filter).every(([path, condition]) => {
    if (path === '$and') return (condition as Doc[]).every((part) => matches(doc, part));
    if (path === '$or') return (condition as Doc[]).some((part) => matches(doc, part));
    if (path.startsWith('$')) throw new Error(`fake MongoDB: top-level operator ${path} not supported`);
    const value = read(doc, path);
    if (!isOperatorObject(condition)) return equals(value, condition);
    return Object.entries(condition).every(([operator, operand]) => {
      switch (operator) {
        case '$gt':
          return comparable(value, operand) && (value as number) > (operand as number);
        case '$gte':
          return comparable(value, operand) && (value as number) >= (operand as number);
        case '$lt':
          return comparable(value, operand) && (value as number) < (operand as number);
        case '$lte':
          return comparable(value, operand) && (value as number) <= (operand as number);
        case '$exists':
          return (value !== undefined) === operand;
        case '$in':
          return (operand as unknown[]).some((candidate) => equals(value, candidate));
        default:
          throw new Error(`fake MongoDB: filter operator ${operator} not supported`);
      }
    });
  });
}

function apply(doc: Doc, update: Doc): void {
  for (const [operator, fields] of Object.entries(update)) {
    for (const [path, operand] of Object.entries(fields as Doc)) {
      const [parent, key] = parentOf(doc, path);
      if (operator === '$set') parent[key] = structuredClone(operand);
      else if (operator === '$inc') parent[key] = ((parent[key] as number | undefined) ?? 0) + (operand as number);
      else if (operator === '$unset') delete parent[key];
      else throw new Error(`fake MongoDB: update operator ${operator} not supported`);
    }
  }
}

/** An exclusion projection ({field: 0}) drops those fields; any other is answered whole, as the adapters read only what they asked for. */
function project(doc: Doc, projection: Record<string, number> | undefined): Doc {
  const copy = structuredClone(doc);
  if (projection && Object.values(projection).every((keep) => keep === 0)) for (const path of Object.keys(projection)) delete copy[path];
  return copy;
}

function compare(a: Doc, b: Doc, sort: Record<string, 1 | -1>): number {
  for (const [path, direction] of Object.entries(sort)) {
    const [x, y] = [read(a, path), read(b, path)] as [string | number, string | number];
    if (x !== y) return (x < y ? -1 : 1) * direction;
  }
  return 0;
}

class FakeCollection {
  readonly documents = new Map<unknown, Doc>();

  constructor(
    private readonly name: string,
    private readonly calls: string[],
  ) {}

  private call(method: string): void {
    this.calls.push(`${this.name}.${method}`);
  }

  private select(filter: Doc): Doc[] {
    return [...this.documents.values()].filter((doc) => matches(doc, filter));
  }

  private updateMatching(filter: Doc, update: Doc, limit: number) {
    const found = this.select(filter).slice(0, limit);
    for (const doc of found) apply(doc, update);
    return { matchedCount: found.length, modifiedCount: found.length };
  }

  async findOne(filter: Doc, options: { projection?: Record<string, number> } = {}) {
    this.call('findOne');
    const [doc] = this.select(filter);
    return doc ? project(doc, options.projection) : null;
  }

  async deleteOne(filter: Doc) {
    this.call('deleteOne');
    const [doc] = this.select(filter);
    if (doc) this.documents.delete(doc._id);
    return { deletedCount: doc ? 1 : 0 };
  }

  find(filter: Doc, options: { projection?: Record<string, number> } = {}) {
    this.call('find');
    let found = this.select(filter).map((doc) => project(doc, options.projection));
    const cursor = {
      sort(spec: Record<string, 1 | -1>) {
        found = [...found].sort((a, b) => compare(a, b, spec));
        return cursor;
      },
      limit(count: number) {
        found = found.slice(0, count);
        return cursor;
      },
      toArray: async () => found,
    };
    return cursor;
  }

  async countDocuments(filter: Doc) {
    this.call('countDocuments');
    return this.select(filter).length;
  }

  /** Each value once, an array field's elements each on its own, as the server answers distinct. */
  async distinct(path: string) {
    this.call('distinct');
    return [...new Set([...this.documents.values()].flatMap((doc) => read(doc, path) ?? []))];
  }

  async findOneAndUpdate(filter: Doc, update: Doc, options: { projection?: Record<string, number>; returnDocument?: 'before' | 'after' } = {}) {
    this.call('findOneAndUpdate');
    if (options.returnDocument !== 'after') throw new Error('fake MongoDB: the adapters read the document after the update');
    const [doc] = this.select(filter);
    if (!doc) return null;
    apply(doc, update);
    return project(doc, options.projection);
  }

  async insertOne(doc: Doc) {
    this.call('insertOne');
    const indexes: ReadonlyArray<{ fields: readonly string[]; unique?: boolean }> = STORE_INDEXES[this.name as keyof typeof STORE_INDEXES] ?? [];
    const unique = indexes.filter((index) => index.unique).map((index) => index.fields);
    const clashes = (other: Doc) => unique.some((fields) => fields.every((field) => read(other, field) === read(doc, field)));
    if (this.documents.has(doc._id) || [...this.documents.values()].some(clashes)) {
      throw Object.assign(new Error('E11000 duplicate key error'), { code: 11000 });
    }
    this.documents.set(doc._id, structuredClone(doc));
    return { acknowledged: true, insertedId: doc._id };
  }

  async replaceOne(filter: Doc, replacement: Doc) {
    this.call('replaceOne');
    const [doc] = this.select(filter);
    if (!doc) return { matchedCount: 0, modifiedCount: 0 };
    this.documents.set(doc._id, structuredClone(replacement));
    return { matchedCount: 1, modifiedCount: 1 };
  }

  /** Only the one pipeline the adapters send it: [{ $group: { _id: '$field', n: { $sum: 1 } } }]. */
  aggregate(pipeline: Doc[]) {
    this.call('aggregate');
    const group = pipeline.length === 1 ? (pipeline[0]!.$group as Doc | undefined) : undefined;
    const key = group?._id;
    const sum = Object.entries(group ?? {}).filter(([name]) => name !== '_id');
    if (typeof key !== 'string' || !key.startsWith('$') || sum.length !== 1 || (sum[0]![1] as Doc).$sum !== 1) {
      throw new Error(`fake MongoDB: aggregate ${JSON.stringify(pipeline)} not supported`);
    }
    const counts = new Map<unknown, number>();
    for (const doc of this.documents.values()) counts.set(read(doc, key.slice(1)), (counts.get(read(doc, key.slice(1))) ?? 0) + 1);
    const found = [...counts].map(([value, n]) => ({ _id: value, [sum[0]![0]]: n }));
    return { toArray: async () => found };
  }

  /** As the adapters use it: the document as it was before (its projection), or null when none matched. */
  async findOneAndReplace(filter: Doc, replacement: Doc, options: { projection?: Record<string, number>; returnDocument?: 'before' | 'after' } = {}) {
    this.call('findOneAndReplace');
    if (options.returnDocument !== 'before') throw new Error('fake MongoDB: the adapters read the document before the replace');
    const [doc] = this.select(filter);
    if (!doc) return null;
    const before = project(doc, options.projection);
    this.documents.set(doc._id, structuredClone(replacement));
    return before;
  }

  async updateOne(filter: Doc, update: Doc) {
    this.call('updateOne');
    return this.updateMatching(filter, update, 1);
  }

  async updateMany(filter: Doc, update: Doc) {
    this.call('updateMany');
    return this.updateMatching(filter, update, Infinity);
  }

  /** Ordered: each operation in turn. An operation that matches nothing is no error, so the rest still run. */
  async bulkWrite(operations: Array<{ updateOne?: { filter: Doc; update: Doc } }>, options: { ordered?: boolean } = {}) {
    this.call('bulkWrite');
    if (options.ordered !== true) throw new Error('fake MongoDB: the adapters write in order');
    let matchedCount = 0;
    let modifiedCount = 0;
    for (const operation of operations) {
      if (!operation.updateOne) throw new Error(`fake MongoDB: bulk operation ${Object.keys(operation).join()} not supported`);
      const result = this.updateMatching(operation.updateOne.filter, operation.updateOne.update, 1);
      matchedCount += result.matchedCount;
      modifiedCount += result.modifiedCount;
    }
    return { matchedCount, modifiedCount };
  }
}

export interface FakeMongo {
  db: Db;
  /** Every driver call so far, as "collection.method". */
  calls: string[];
  /** The stored documents of a collection, as the server would hold them. */
  documents(collection: string): Doc[];
}

export function fakeMongo(): FakeMongo {
  const calls: string[] = [];
  const collections = new Map<string, FakeCollection>();
  const collection = (name: string) => {
    let found = collections.get(name);
    if (!found) collections.set(name, (found = new FakeCollection(name, calls)));
    return found;
  };
  return {
    db: { collection } as unknown as Db,
    calls,
    documents: (name) => [...collection(name).documents.values()],
  };
}
