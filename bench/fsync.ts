import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshDataDir } from './setup.js';

/** Median time of one durable (synchronous=FULL, WAL) one-row commit on the data folder's disk. */
export function durableCommitMs(commits = 300): number {
  const dir = freshDataDir();
  const db = new Database(join(dir, 'probe.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE probe (n INTEGER)');
  const insert = db.prepare('INSERT INTO probe (n) VALUES (?)');
  const times: number[] = [];
  for (let n = 0; n < commits; n++) {
    const started = performance.now();
    insert.run(n);
    times.push(performance.now() - started);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return times.sort((a, b) => a - b)[Math.floor(commits / 2)]!;
}
