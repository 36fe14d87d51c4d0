/**
 * A real PostgreSQL for the collector's tests and benchmark: Debian's `postgresql` package,
 * a fresh cluster in a temporary folder on a free loopback port, stopped (and deleted) afterwards.
 *
 * The server refuses to run as root, and CI runs as root: then initdb and the server run as the
 * `postgres` system user the package creates (or `nobody`), which owns the temporary folder.
 * Authentication is `trust` on loopback only: this cluster lives for one test run.
 */
import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const TEST_DB_USER = 'collector';

export interface TestPostgres {
  /** postgres://collector@127.0.0.1:PORT/postgres — the maintenance database, for CREATE DATABASE. */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** Where Debian keeps pg_dump, psql and the server of this version. */
  binDir: string;
  stop(): void;
}

/** The folder of initdb/pg_ctl: PG_BIN, else the newest /usr/lib/postgresql/N/bin. */
export function postgresBinDir(): string {
  const fromEnv = process.env.PG_BIN?.trim();
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (existsSync(path.join(bin, 'initdb'))) return bin;
  }
  throw new Error(
    'PostgreSQL is not installed: the collector tests start a real server. On Debian: apt-get install -y postgresql ' +
      '(or set PG_BIN to the folder holding initdb and pg_ctl).',
  );
}

/** The account the server runs as: this one, unless it is root. */
function serverAccount(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    const run = spawnSync('id', ['-u', name], { encoding: 'utf8' });
    if (run.status !== 0) continue;
    const uid = Number(run.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout.trim());
    return { uid, gid };
  }
  throw new Error('running as root, and neither a postgres nor a nobody account exists to run PostgreSQL as');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** initdb + pg_ctl start; throws with the server's log when it does not come up. */
export async function startTestPostgres(): Promise<TestPostgres> {
  const binDir = postgresBinDir();
  const account = serverAccount();
  const root = mkdtempSync(path.join(os.tmpdir(), 'collector-pg-'));
  const dataDir = path.join(root, 'data');
  const socketDir = path.join(root, 'socket');
  const logFile = path.join(root, 'server.log');
  mkdirSync(socketDir);
  if (account) for (const dir of [root, socketDir]) chownSync(dir, account.uid, account.gid);
  const as: SpawnSyncOptions = { encoding: 'utf8', ...(account ?? {}), cwd: root };

  const init = spawnSync(
    path.join(binDir, 'initdb'),
    ['-D', dataDir, '-U', TEST_DB_USER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
    as,
  );
  if (init.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed (${init.status}): ${String(init.stderr)}`);
  }

  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const options = `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=64MB`;
    const start = spawnSync(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start'], as);
    if (start.status === 0) {
      const stop = (): void => {
        spawnSync(path.join(binDir, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'], as);
        rmSync(root, { recursive: true, force: true });
      };
      return { adminUrl: `postgres://${TEST_DB_USER}@127.0.0.1:${port}/postgres`, port, dataDir, binDir, stop };
    }
    // Another process may have taken the port between the probe and the start: try another.
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    if (attempt < 3 && /could not bind|Address already in use/.test(log)) continue;
    rmSync(root, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start (${start.status}): ${String(start.stderr)}\n${log}`);
  }
}

/** A fresh, empty database on the test server; returns its URL. */
export async function createDatabase(adminUrl: string, prefix = 'collector'): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a test database, closing whatever connections are still open on it. */
export async function dropDatabase(adminUrl: string, databaseUrl: string): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs one of the server's client programs (pg_dump, pg_restore, psql) and returns its stdout. */
export function runClientProgram(binDir: string, program: string, args: string[]): string {
  return execFileSync(path.join(binDir, program), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
