import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CommandStartedEvent, Db, MongoClient } from 'mongodb';
import { connectMongo } from '../../src/adapters/azure/mongo.js';

/** The one place the pinned version is written: the script that builds it. */
const INSTALLER = resolve('.ci/install-ferretdb');
const FERRETDB_VERSION = /^FERRETDB_VERSION=(\S+)$/m.exec(readFileSync(INSTALLER, 'utf8'))![1]!;

/** Where .ci/install-ferretdb puts the binary, or FERRETDB_PATH. */
const binary = process.env.FERRETDB_PATH ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bestbuy-store', `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');

export interface MongoServer {
  uri: string;
  stop(): Promise<void>;
}

/**
 * FerretDB on SQLite in a temporary folder, on a free loopback port, telemetry off and no debug
 * listener. The connection string asks for a pool of one connection: FerretDB 1.x applies an
 * update as a read and then a write with nothing between them held (FerretDB issue #3040), so
 * two connections updating one document at once can lose a write or both pass a condition,
 * which MongoDB and Cosmos DB never do. One connection makes it run one command at a time, each
 * then as atomic as on those servers; the app's own commands still interleave as they would.
 * Its SQLite skips fsync: the tests kill hosts, never this server, and the shared disk is slow.
 */
export async function startFerretDb(): Promise<MongoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'bestbuy-ferretdb-'));
  const child = spawn(
    binary,
    ['--handler=sqlite', `--sqlite-url=file:${dir}/?_pragma=synchronous(off)`, `--state-dir=${dir}`, '--listen-addr=127.0.0.1:0', '--debug-addr=-', '--telemetry=disable', '--log-level=info'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DO_NOT_TRACK: '1' } },
  );
  let output = '';
  const port = await new Promise<number>((ready, fail) => {
    const onData = (chunk: Buffer) => {
      // Only the start matters; past it, the log is dropped.
      if (output.length > 20_000) return;
      output += chunk.toString();
      const listening = /Listening on TCP 127\.0\.0\.1:(\d+)/.exec(output);
      if (listening) ready(Number(listening[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`FerretDB exited (${code}):\n${output}`)));
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    uri: `mongodb://127.0.0.1:${port}/?maxPoolSize=1`,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Why there is no server to run on, or nothing when there is one. */
export function missingMongoServer(): string | undefined {
  if (process.env.MONGODB_URI) return undefined;
  const how = `run .ci/install-ferretdb (needs Go 1.22+), set FERRETDB_PATH, or set MONGODB_URI`;
  if (!existsSync(binary)) return `no FerretDB at ${binary}: ${how}`;
  try {
    const version = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (!version.includes(`version: ${FERRETDB_VERSION}\n`)) return `${binary} is not FerretDB ${FERRETDB_VERSION}: ${how}`;
  } catch {
    return `${binary} does not start: ${how}`;
  }
  return undefined;
}

/** MONGODB_URI's server when set (not stopped afterwards), else a FerretDB of the suite's own. */
export const startMongoServer = (): Promise<MongoServer> => {
  const uri = process.env.MONGODB_URI;
  return uri ? Promise.resolve({ uri, stop: async () => {} }) : startFerretDb();
};

export interface MongoDatabase {
  db: Db;
  client: MongoClient;
  /** Every command sent since the database was set up, as "collection.command": each one a round trip. */
  commands: string[];
  /** Drops the database and closes the client. */
  close(): Promise<void>;
}

let databases = 0;

/** The connection string with one more option: the driver reads command monitoring at connection time only. */
const withOption = (uri: string, option: string) => {
  if (uri.includes('?')) return `${uri}&${option}`;
  // The options follow the path, which may be empty: mongodb://host/?option.
  return /^[^:]+:\/\/[^/]*$/.test(uri) ? `${uri}/?${option}` : `${uri}?${option}`;
};

/** A new, empty database on the server, set up as the store sets up its own (connectMongo, indexes included). */
export async function openMongoDatabase(uri: string): Promise<MongoDatabase> {
  const { client, db } = await connectMongo(withOption(uri, 'monitorCommands=true'), `bestbuy_test_${process.pid}_${Date.now()}_${databases++}`);
  const commands: string[] = [];
  client.on('commandStarted', ({ commandName, command }: CommandStartedEvent) => {
    commands.push(`${String(command[commandName])}.${commandName}`);
  });
  return {
    db,
    client,
    commands,
    async close() {
      await db.dropDatabase();
      await client.close();
    },
  };
}
