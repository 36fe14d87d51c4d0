/**
 * Starts the collector for a test: in this process (buildServer + listen on 127.0.0.1, port 0)
 * or as a child process running collector/main.ts, on a fresh store of the test project's kind
 * (test-store.ts) with its own temporary folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type CollectorConfig } from '../../../collector/config';
import { buildServer, type ServerOptions } from '../../../collector/server';
import type { DonationStore, StoreLocation } from '../../../collector/store/donation-store';
import { openStore } from '../../../collector/store/open-store';
import { newTestStore, type DbProbe, type TestStore } from './test-store';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function tempDir(prefix = 'collector-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunningCollector {
  url: string;
  /** A temporary folder of this collector's own (for export files and the like). */
  dir: string;
  location: StoreLocation;
  /** Reads and writes the store behind the collector's back. */
  probe: DbProbe;
  /** The arguments that point `collector/export-main.ts` at this store. */
  exportArgs: string[];
  config: CollectorConfig;
  storage: DonationStore;
  app: FastifyInstance;
  /** Takes the database away under the running collector (SQLite: closes it; PostgreSQL: drops it). */
  breakStore(): Promise<void>;
  close(): Promise<void>;
}

export async function startCollector(overrides: Partial<CollectorConfig> = {}, serverOptions: ServerOptions = {}): Promise<RunningCollector> {
  const dir = tempDir();
  const testStore = await newTestStore(dir);
  const config: CollectorConfig = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    store: testStore.location,
    rateLimitPerMinute: 0,
    ...overrides,
  };
  const storage = await openStore(config.store);
  const app = buildServer(config, storage, serverOptions);
  try {
    await app.listen({ host: config.host, port: 0 });
  } catch (error) {
    await storage.close();
    await testStore.dispose();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  let closed = false;
  return {
    url: `http://127.0.0.1:${address.port}`,
    dir,
    location: testStore.location,
    probe: testStore.probe,
    exportArgs: testStore.exportArgs,
    config,
    storage,
    app,
    async breakStore() {
      if (config.store.kind === 'sqlite') await storage.close();
      else await testStore.dispose();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await app.close();
      } finally {
        await storage.close();
        await testStore.dispose();
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
  /** Gives up after this long (as the app's outbox does after 60 s). */
  timeoutMs?: number;
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
  const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  return fetch(`${url}/v1/bundles`, { method: 'POST', headers, body: new Uint8Array(bytes), signal });
}

export function withdraw(url: string, bundleId: string, token?: string): Promise<Response> {
  return fetch(`${url}/v1/bundles/${encodeURIComponent(bundleId)}`, {
    method: 'DELETE',
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

/** A store for collectors started as child processes (spawnCollector), with a folder of its own. */
export type ChildStore = TestStore & { dir: string };

export async function childStore(): Promise<ChildStore> {
  const dir = tempDir();
  const store = await newTestStore(dir);
  return {
    ...store,
    dir,
    dispose: async () => {
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ChildCollector {
  child: ChildProcess;
  url: string;
  /** Everything the child wrote, stdout and stderr. */
  output(): string;
  /** The JSON log records the child wrote on stdout so far. */
  logRecords(): Array<Record<string, unknown>>;
  /** Resolves with the exit code (or signal) once the child is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `node --import tsx collector/main.ts [args]` with `env` added to this process's
 * environment and waits for its `collector listening on http://HOST:PORT` log record.
 */
export async function spawnCollector(env: Record<string, string>, timeoutMs = 30_000, args: string[] = []): Promise<ChildCollector> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'collector/main.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, COLLECTOR_HOST: '127.0.0.1', COLLECTOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let listening = false;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the collector did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // Matched until found only: a benchmark's child writes megabytes of log after that.
      if (listening) return;
      const match = /"msg":"collector listening on (http:\/\/[^"\s]+)"/.exec(output);
      if (match?.[1]) {
        listening = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      onData(chunk);
    });
    child.stderr?.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the collector exited (code ${code}, signal ${signal}) before listening:\n${output}`));
    });
  });
  const logRecords = (): Array<Record<string, unknown>> =>
    stdout
      .split('\n')
      .slice(0, -1) // the last piece is a line still being written
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { child, url, output: () => output, logRecords, exited };
}

/** Kills a child collector (SIGKILL) if it is still running, and waits for it to be gone. */
export async function killChild(collector: ChildCollector | undefined): Promise<void> {
  if (collector === undefined) return;
  if (collector.child.exitCode === null && collector.child.signalCode === null) collector.child.kill('SIGKILL');
  await collector.exited;
}
