import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { storeBusy, storeFull, storeIoError, StoreError } from '../../domain/errors.js';
import { applySchema } from './schema.js';

export type Db = Database.Database;

/** How long a write waits for another connection's write to finish before failing as busy. */
const BUSY_TIMEOUT_MS = 5_000;
/**
 * A batch that finds the write lock taken is tried again on a later turn of the event loop
 * rather than sleeping in SQLite's busy handler (1 ms at least, then 2, 5, 10…) with the whole
 * thread: the next few times at once, after I/O, then every millisecond. After BUSY_TIMEOUT_MS
 * of that it waits in SQLite as any other write, and fails as busy if that runs out too.
 */
const BUSY_RETRIES_AT_ONCE = 10;
/**
 * The WAL is checkpointed into the database once it holds this many pages (SQLite's default,
 * about 4 MB), and a checkpointed WAL is cut back to WAL_LIMIT_BYTES: without a limit it keeps
 * the size of its largest burst for good, space a small volume may not have.
 */
const WAL_CHECKPOINT_PAGES = 1000;
const WAL_LIMIT_BYTES = 4 * 1024 * 1024;
/** After a storage failure, how often at most to try handing the WAL's space back (a checkpoint costs an fsync). */
const WAL_TRUNCATE_EVERY_MS = 5_000;
/** The health probe needs this much fresh room (two overflow pages, about what a large order takes); it runs at most once a second. */
const PROBE_BYTES = 8 * 1024;
const PROBE_EVERY_MS = 1_000;

/**
 * SQLite failures of the storage rather than of the request: the same request can succeed once
 * the disk has room, works, or the other writer is done. Anything else (a constraint, a bug)
 * stays what it is.
 */
const STORAGE_FAILURES: ReadonlyArray<{ sqlite: RegExp; error: (cause: unknown) => StoreError }> = [
  { sqlite: /^SQLITE_FULL$/, error: storeFull },
  { sqlite: /^SQLITE_IOERR/, error: storeIoError },
  { sqlite: /^SQLITE_(BUSY|LOCKED)/, error: (cause) => storeBusy(cause) },
];

/** A storage failure as the 503 StoreError it means; any other error unchanged. */
export function asStoreError(error: unknown): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const failure = STORAGE_FAILURES.find(({ sqlite }) => sqlite.test(error.code));
  if (!failure) return error;
  return failure.error(error);
}

/** A failure that says to try again later (a full disk, a busy store), not one of the request or message itself. */
export function isPassingFailure(error: unknown): error is StoreError {
  return error instanceof StoreError && error.retryAfterSeconds !== undefined;
}

function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asStoreError(error);
  }
}

type Args<P> = P extends unknown[] ? P : [P];

/** A prepared statement whose storage failures surface as StoreErrors, like every write's. */
export interface Statement<P, R> {
  get(...params: Args<P>): R | undefined;
  all(...params: Args<P>): R[];
  run(...params: Args<P>): Database.RunResult;
}

function guarded<R>(prepared: Database.Statement<unknown[], R>): Statement<unknown[], R> {
  return {
    get: (...params) => guard(() => prepared.get(...params)),
    all: (...params) => guard(() => prepared.all(...params)),
    run: (...params) => guard(() => prepared.run(...params)),
  };
}

/** Where prepared statements come from: the store's file, or a read-only connection to it. */
export interface Statements {
  statement<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Statement<P, R>;
}

/**
 * A read-only connection to a store file another connection opened and keeps (WAL lets it read
 * beside the writer, each statement seeing the last commit): the catalog thread's, which lives
 * until the thread is ended. Its failures are SQLite's own, for the thread to report by code.
 */
export class SqliteReader implements Statements {
  private readonly db: Db;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
  }

  statement<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = this.db.prepare(sql);
      this.statements.set(sql, prepared);
    }
    return prepared as unknown as Statement<P, R>;
  }
}

export interface SqliteFileOptions {
  /** Largest the file may grow (SQLite's max_page_count); a write past it fails as on a full disk. */
  maxBytes?: number | null | undefined;
  /**
   * Every write on this connection is redone from the queue if lost (the makeline's connection):
   * all of them commit relaxed. Its writes precede the settlement of the message that caused
   * them, and a power cut takes only a suffix of WAL commits, so it takes the settlement with
   * them and the message is delivered again; the next durable commit on any connection covers
   * them for good.
   */
  redoneFromQueue?: boolean;
}

/**
 * How much a write must survive. `durable` commits are fsynced before they resolve (they back
 * an acknowledgement, such as a 202); `relaxed` ones may be lost to a power cut, which is only
 * allowed where the queue's redelivery makes the loss harmless (message locks and settlement).
 */
export type Durability = 'durable' | 'relaxed';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The store's one SQLite file (WAL, so readers run beside the writer) with group commit:
 * writes requested during one turn of the event loop run in one transaction, each in its own
 * savepoint, and share one fsync. Every write still resolves only once it is committed.
 * Relaxed writes commit in a batch of their own: they resolve without waiting for an fsync
 * (the next durable commit's covers them too, as WAL keeps commits in order), and a durable
 * batch carries no relaxed work.
 */
export class SqliteFile implements Statements {
  readonly db: Db;
  private readonly statements = new Map<string, Statement<unknown[], unknown>>();
  private readonly pending: Record<Durability, PendingWrite[]> = { durable: [], relaxed: [] };
  private readonly flushScheduled: Record<Durability, boolean> = { durable: false, relaxed: false };
  private synchronousFull = true;
  private readonly commitBatch: Database.Transaction<(batch: readonly PendingWrite[]) => Outcome[]>;
  private readonly probeRoom: Database.Transaction<() => void>;
  private lastProbe: { at: number; outcome: Promise<void> } | undefined;
  private lastWalTruncate = 0;
  private readonly redoneFromQueue: boolean;
  private readonly synchronousPragmas: { full: Database.Statement; normal: Database.Statement };
  private readonly busyTimeout: { none: Database.Statement; normal: Database.Statement };
  /** Since when, and how often, a batch of each kind has found the write lock taken. */
  private readonly busy: Record<Durability, { since: number; tries: number } | undefined> = { durable: undefined, relaxed: undefined };
  private closing = false;

  constructor(file: string, options: SqliteFileOptions = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    this.db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    this.db.pragma(`journal_size_limit = ${WAL_LIMIT_BYTES}`);
    if (options.maxBytes) {
      const pageSize = this.db.pragma('page_size', { simple: true }) as number;
      this.db.pragma(`max_page_count = ${Math.floor(options.maxBytes / pageSize)}`);
    }
    applySchema(this.db);
    this.redoneFromQueue = options.redoneFromQueue ?? false;
    this.busyTimeout = { none: this.db.prepare('PRAGMA busy_timeout = 0'), normal: this.db.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`) };
    this.synchronousPragmas = { full: this.db.prepare('PRAGMA synchronous = FULL'), normal: this.db.prepare('PRAGMA synchronous = NORMAL') };
    this.commitBatch = this.batchTransaction();
    const takeRoom = this.db.prepare('INSERT INTO store_probe (id, room) VALUES (1, zeroblob(?))');
    const giveBack = this.db.prepare('DELETE FROM store_probe WHERE id = 1');
    this.probeRoom = this.db.transaction(() => {
      takeRoom.run(PROBE_BYTES);
      giveBack.run();
    });
  }

  /** Prepared once per SQL text: preparing is a large share of a small query's cost. */
  statement<P extends unknown[] | {} = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      prepared = guarded(this.db.prepare(sql));
      this.statements.set(sql, prepared);
    }
    return prepared as unknown as Statement<P, R>;
  }

  /**
   * Proves the store can still save: commits a row that needs fresh room and deletes it in the
   * same transaction, so nothing stays but a free page or two. Health may be polled hard, so
   * one probe a second answers every caller in that second.
   */
  ping(): Promise<void> {
    const now = Date.now();
    if (!this.lastProbe || now - this.lastProbe.at >= PROBE_EVERY_MS) {
      this.lastProbe = { at: now, outcome: this.probe() };
    }
    return this.lastProbe.outcome;
  }

  private async probe(): Promise<void> {
    // Its own transaction, not part of a batch: a probe that finds no room must not take the batch's writes down with it.
    this.setSynchronous(false);
    try {
      this.probeRoom.immediate();
    } catch (error) {
      throw this.failed(error);
    }
  }

  write<T>(work: () => T, asked: Durability = 'durable'): Promise<T> {
    const durability = this.redoneFromQueue ? 'relaxed' : asked;
    return new Promise<T>((resolve, reject) => {
      this.pending[durability].push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushScheduled[durability]) {
        this.flushScheduled[durability] = true;
        setImmediate(() => this.flush(durability));
      }
    });
  }

  /**
   * Commits whatever is pending now, of one durability or both; close() calls it so nothing
   * requested is dropped, waiting in SQLite for the lock if it must.
   */
  flush(durability?: Durability): void {
    if (durability === undefined) {
      this.flush('relaxed');
      this.flush('durable');
      return;
    }
    this.commit(durability, !this.closing);
  }

  private commit(durability: Durability, retryWhenBusy: boolean): void {
    this.flushScheduled[durability] = false;
    const batch = this.pending[durability];
    this.pending[durability] = [];
    if (batch.length === 0) return;
    this.setSynchronous(durability === 'durable');
    const busy = this.busy[durability];
    const waitForLock = !retryWhenBusy || (busy !== undefined && Date.now() - busy.since >= BUSY_TIMEOUT_MS);
    let outcomes: Outcome[];
    try {
      if (!waitForLock) this.busyTimeout.none.get();
      try {
        outcomes = this.commitBatch.immediate(batch);
      } finally {
        if (!waitForLock) this.busyTimeout.normal.get();
      }
    } catch (error) {
      if (!waitForLock && error instanceof Database.SqliteError && error.code === 'SQLITE_BUSY' && !this.db.inTransaction) {
        // Another connection is writing: these writes go first once it is done, with any requested meanwhile.
        this.pending[durability] = [...batch, ...this.pending[durability]];
        const tries = (busy?.tries ?? 0) + 1;
        this.busy[durability] = { since: busy?.since ?? Date.now(), tries };
        this.flushScheduled[durability] = true;
        if (tries <= BUSY_RETRIES_AT_ONCE) setImmediate(() => this.flush(durability));
        else setTimeout(() => this.flush(durability), 1);
        return;
      }
      this.busy[durability] = undefined;
      const failure = this.failed(error);
      for (const write of batch) write.reject(failure);
      return;
    }
    this.busy[durability] = undefined;
    batch.forEach((write, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(this.failed(outcome.error));
    });
  }

  close(): void {
    if (!this.db.open) return;
    this.closing = true;
    this.flush();
    this.db.close();
  }

  /**
   * One transaction for a batch, each write in a savepoint of its own: a failing write rolls back
   * alone. A full disk or an I/O error can make SQLite roll back the whole transaction; then no
   * write of the batch stands, and the failure ends the batch rather than letting later writes
   * run outside any transaction.
   */
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
          if (!this.db.inTransaction) throw error;
          rollback.run();
          release.run();
          return { ok: false, error };
        }
      }),
    );
  }

  /**
   * The error a failed write is reported as. A storage failure makes the next health probe look
   * again rather than repeat an older success. When the disk is full, the WAL's space is handed
   * back to it: a checkpoint moves what the WAL holds into the database and TRUNCATE empties the
   * file. That fails too while the database itself cannot grow; a later failure tries again.
   * It never waits for another connection (busy_timeout 0): the event loop would wait with it.
   */
  private failed(error: unknown): unknown {
    const failure = asStoreError(error);
    if (isPassingFailure(failure)) this.lastProbe = undefined;
    if (failure instanceof StoreError && failure.code === 'store_full' && Date.now() - this.lastWalTruncate >= WAL_TRUNCATE_EVERY_MS) {
      this.lastWalTruncate = Date.now();
      this.db.pragma('busy_timeout = 0');
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Still no room: the commit's own failure is what the caller hears about.
      } finally {
        this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      }
    }
    return failure;
  }

  /** Between the two kinds of batch, so twice in most turns: prepared once rather than parsed each time. */
  private setSynchronous(full: boolean): void {
    if (full === this.synchronousFull) return;
    (full ? this.synchronousPragmas.full : this.synchronousPragmas.normal).run();
    this.synchronousFull = full;
  }
}
