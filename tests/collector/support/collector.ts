/**
 * Starts the collector for a test: in this process (buildServer + listen on 127.0.0.1, port 0)
 * or as a child process running collector/main.ts, each with its own SQLite file in a fresh
 * temporary folder.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type CollectorConfig } from '../../../collector/config';
import { buildServer, type ServerOptions } from '../../../collector/server';
import { Storage } from '../../../collector/storage';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function tempDir(prefix = 'collector-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunningCollector {
  url: string;
  dir: string;
  dbPath: string;
  config: CollectorConfig;
  storage: Storage;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startCollector(overrides: Partial<CollectorConfig> = {}, serverOptions: ServerOptions = {}): Promise<RunningCollector> {
  const dir = tempDir();
  const config: CollectorConfig = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    dbPath: path.join(dir, 'donations.sqlite'),
    rateLimitPerMinute: 0,
    ...overrides,
  };
  const storage = Storage.open(config.dbPath);
  const app = buildServer(config, storage, serverOptions);
  try {
    await app.listen({ host: config.host, port: 0 });
  } catch (error) {
    storage.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  let closed = false;
  return {
    url: `http://127.0.0.1:${address.port}`,
    dir,
    dbPath: config.dbPath,
    config,
    storage,
    app,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await app.close();
      } finally {
        storage.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface PostOptions {
  token?: string | null;
  contentType?: string | null;
  gzip?: boolean;
  headers?: Record<string, string>;
}

/** POSTs `body` (an object is sent as JSON) to /v1/bundles. */
export async function postBundle(url: string, body: unknown, options: PostOptions = {}): Promise<Response> {
  let bytes: Uint8Array = typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string> = { ...options.headers };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  if (options.token !== null && options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.gzip === true) {
    bytes = gzipSync(bytes);
    headers['content-encoding'] = 'gzip';
  }
  // A copy backed by a plain ArrayBuffer, which is what fetch's body type asks for.
  return fetch(`${url}/v1/bundles`, { method: 'POST', headers, body: new Uint8Array(bytes) });
}

export function withdraw(url: string, bundleId: string, token?: string): Promise<Response> {
  return fetch(`${url}/v1/bundles/${encodeURIComponent(bundleId)}`, {
    method: 'DELETE',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

/** Reads the SQLite file directly, through a second connection, and closes it again. */
export function readDb<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

export interface ChildCollector {
  child: ChildProcess;
  url: string;
  /** Everything the child wrote, stdout and stderr. */
  output(): string;
  /** Resolves with the exit code (or signal) once the child is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `node --import tsx collector/main.ts` with `env` added to this process's environment and
 * waits for its `collector listening on http://HOST:PORT` line.
 */
export async function spawnCollector(env: Record<string, string>, timeoutMs = 30_000): Promise<ChildCollector> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'collector/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, COLLECTOR_HOST: '127.0.0.1', COLLECTOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the collector did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /collector listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the collector exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  return { child, url, output: () => output, exited };
}

/** Kills a child collector (SIGKILL) if it is still running, and waits for it to be gone. */
export async function killChild(collector: ChildCollector | undefined): Promise<void> {
  if (collector === undefined) return;
  if (collector.child.exitCode === null && collector.child.signalCode === null) collector.child.kill('SIGKILL');
  await collector.exited;
}
