import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { applySchema } from './schema.js';

export type Db = Database.Database;

/**
 * How much a write must survive. `durable` commits are fsynced before they resolve (they back
 * an acknowledgement, such as a 202); `relaxed` ones may be lost to a power cut, which is only
 * allowed where the queue's redelivery makes the loss harmless (message locks and settlement).
 */
export type Durability = 'durable' | 'relaxed';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface PendingWrite {
  work: () => unknown;
  durability: Durability;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The store's one SQLite file (WAL, so readers run beside the writer) with group commit:
 * writes requested during one turn of the event loop run in one transaction, each in its own
 * savepoint, and share one fsync. Every write still resolves only once it is committed.
 */
export class SqliteFile {
  readonly db: Db;
  private readonly statements = new Map<string, Database.Statement>();
  private pending: PendingWrite[] = [];
  private flushScheduled = false;
  private synchronousFull = true;
  private readonly commitBatch: Database.Transaction<(batch: readonly PendingWrite[]) => Outcome[]>;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    applySchema(this.db);
    this.commitBatch = this.batchTransaction();
  }

  /** Prepared once per SQL text: preparing is a large share of a small query's cost. */
  statement<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared as Database.Statement<P, R>;
  }

  write<T>(work: () => T, durability: Durability = 'durable'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, durability, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits whatever is pending now; close() calls it so nothing requested is dropped. */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.setSynchronous(batch.some((write) => write.durability === 'durable'));
    let outcomes: Outcome[];
    try {
      outcomes = this.commitBatch.immediate(batch);
    } catch (error) {
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }

  close(): void {
    if (!this.db.open) return;
    this.flush();
    this.db.close();
  }

  /** One transaction for a batch, each write in a savepoint of its own: a failing write rolls back alone. */
  private batchTransaction() {
    const savepoint = this.db.prepare('SAVEPOINT write');
    const release = this.db.prepare('RELEASE write');
    const rollback = this.db.prepare('ROLLBACK TO write');
    return this.db.transaction((batch: readonly PendingWrite[]): Outcome[] =>
      batch.map((write) => {
        savepoint.run();
        try {
          const value = write.work();
          release.run();
          return { ok: true, value };
        } catch (error) {
          rollback.run();
          release.run();
          return { ok: false, error };
        }
      }),
    );
  }

  private setSynchronous(full: boolean): void {
    if (full === this.synchronousFull) return;
    this.db.pragma(`synchronous = ${full ? 'FULL' : 'NORMAL'}`);
    this.synchronousFull = full;
  }
}
