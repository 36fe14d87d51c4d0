/**
 * Benchmarks the donation collector over loopback, per store and number of collector processes,
 * side by side in one run. Prints figures; asserts nothing about speed.
 *
 *   npm run bench:collector                                    both stores, 1 and 2 processes
 *   npm run bench:collector -- --store sqlite,postgres --workers 1,2 --bundles 2000 --concurrency 16
 *   npm run bench:collector -- --json out.json                 also the figures as JSON
 *
 * Each combination gets a fresh store (a SQLite file in a temporary folder, or a new database on
 * a PostgreSQL server this benchmark starts and stops itself, as the tests do) and its own
 * collector (`node --import tsx collector/main.ts --workers N`, as `npm run collector` runs it,
 * rate limit off, logging at info as in production). This process is the client. Bundles are
 * realistic (1–4 conversations of rated, de-identified turns, 5–20 KB of JSON each), made before
 * the clock starts, and the same for every combination. Phases:
 *
 *   new        every bundle POSTed once: validation, one durable transaction each (201)
 *   duplicate  the same bundles again, as an outbox resending after lost answers (200)
 *   gzip       new bundles sent with Content-Encoding: gzip (201); MB/s counts bytes sent
 *
 * Latency is per request, from fetch() to the whole answer read; p50/p95/p99 in ms. "srv CPU" is
 * the collector processes' CPU time per request, "db CPU" the PostgreSQL server's (from /proc,
 * Linux only). On this 2-core machine the client, the collector and the database share the cores.
 */
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { StoreKind } from '../collector/store/donation-store';
import { makeBundle, newToken } from '../tests/collector/support/bundles';
import { killChild, spawnCollector, tempDir } from '../tests/collector/support/collector';
import { createDatabase, startTestPostgres, type TestPostgres } from '../tests/collector/support/postgres';
import { seededRng, type Rng } from '../tests/collector/support/rng';
import { postmasterPid, treeCpuSeconds } from './collector/process-cpu';

const USAGE = 'usage: collector-bench.ts [--store sqlite,postgres] [--workers 1,2] [--bundles N] [--concurrency C] [--json FILE]';
const MIN_BYTES = 5 * 1024;
const MAX_BYTES = 20 * 1024;
const WARMUP = 200;
const PHASES = ['new', 'duplicate', 'gzip'] as const;

interface Upload {
  body: Uint8Array<ArrayBuffer>;
  token: string;
  gzip: boolean;
}

interface PhaseFigures {
  store: StoreKind;
  workers: number;
  phase: (typeof PHASES)[number];
  requests: number;
  bundlesPerSecond: number;
  megabytesPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Collector CPU ms per request (all its processes). */
  serverCpuMs: number;
  /** PostgreSQL CPU ms per request; NaN for SQLite (it runs inside the collector). */
  databaseCpuMs: number;
  statuses: Record<string, number>;
}

interface Options {
  stores: StoreKind[];
  workers: number[];
  bundles: number;
  concurrency: number;
  json?: string;
}

function options(): Options {
  const { values } = parseArgs({
    options: {
      store: { type: 'string' },
      workers: { type: 'string' },
      bundles: { type: 'string' },
      concurrency: { type: 'string' },
      json: { type: 'string' },
    },
    strict: true,
  });
  const stores = (values.store ?? 'sqlite,postgres').split(',').map((s) => s.trim());
  const workers = (values.workers ?? '1,2').split(',').map((s) => Number(s.trim()));
  const bundles = Number(values.bundles ?? 2000);
  const concurrency = Number(values.concurrency ?? 16);
  const wholes = [...workers, bundles, concurrency];
  if (stores.some((s) => s !== 'sqlite' && s !== 'postgres') || wholes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(USAGE);
  return { stores: stores as StoreKind[], workers, bundles, concurrency, json: values.json };
}

/** A bundle of 5–20 KB of JSON, like a donation of a few rated conversations. */
function realisticBody(rng: Rng): string {
  for (;;) {
    const bundle = makeBundle({ rng, conversations: rng.int(1, 4), turns: rng.int(2, 6), words: [15, 90] });
    const json = JSON.stringify(bundle);
    if (json.length >= MIN_BYTES && json.length <= MAX_BYTES) return json;
  }
}

function uploads(rng: Rng, n: number, gzip: boolean): Upload[] {
  return Array.from({ length: n }, () => {
    const json = Buffer.from(realisticBody(rng));
    return { body: new Uint8Array(gzip ? gzipSync(json) : json), token: newToken(), gzip };
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Measured {
  requests: number;
  seconds: number;
  bytes: number;
  latencies: number[];
  statuses: Map<number, number>;
  serverCpu: number;
  databaseCpu: number;
}

async function runPhase(url: string, items: Upload[], concurrency: number, cpu: { server: () => number; database: () => number }): Promise<Measured> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let bytes = 0;
  let next = 0;
  const client = async (): Promise<void> => {
    for (;;) {
      const item = items[next++];
      if (item === undefined) return;
      const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${item.token}` };
      if (item.gzip) headers['content-encoding'] = 'gzip';
      const started = performance.now();
      const response = await fetch(`${url}/v1/bundles`, { method: 'POST', headers, body: item.body });
      await response.arrayBuffer();
      latencies.push(performance.now() - started);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      bytes += item.body.byteLength;
    }
  };
  const [server0, database0] = [cpu.server(), cpu.database()];
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  return { requests: items.length, seconds, bytes, latencies, statuses, serverCpu: cpu.server() - server0, databaseCpu: cpu.database() - database0 };
}

function figures(store: StoreKind, workers: number, phase: PhaseFigures['phase'], m: Measured): PhaseFigures {
  const sorted = [...m.latencies].sort((a, b) => a - b);
  return {
    store,
    workers,
    phase,
    requests: m.requests,
    bundlesPerSecond: m.requests / m.seconds,
    megabytesPerSecond: m.bytes / m.seconds / 1024 / 1024,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    serverCpuMs: (m.serverCpu / m.requests) * 1000,
    databaseCpuMs: (m.databaseCpu / m.requests) * 1000,
    statuses: Object.fromEntries([...m.statuses].map(([s, n]) => [String(s), n])),
  };
}

const num = (value: number, digits: number, width: number) => (Number.isFinite(value) ? value.toFixed(digits) : '–').padStart(width);

function tableLines(rows: PhaseFigures[]): string[] {
  const header = `${'store'.padEnd(9)} ${'procs'.padStart(5)} ${'phase'.padEnd(10)} ${'reqs'.padStart(6)} ${'bundles/s'.padStart(10)} ${'MB/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'srv CPU ms'.padStart(10)} ${'db CPU ms'.padStart(9)}  statuses`;
  return [
    header,
    ...rows.map((r) =>
      [
        r.store.padEnd(9),
        String(r.workers).padStart(5),
        r.phase.padEnd(10),
        String(r.requests).padStart(6),
        num(r.bundlesPerSecond, 0, 10),
        num(r.megabytesPerSecond, 2, 7),
        num(r.p50Ms, 1, 7),
        num(r.p95Ms, 1, 7),
        num(r.p99Ms, 1, 7),
        num(r.serverCpuMs, 2, 10),
        num(r.databaseCpuMs, 2, 9),
        ` ${Object.entries(r.statuses).map(([s, n]) => `${s}×${n}`).join(' ')}`,
      ].join(' '),
    ),
  ];
}

const opts = options();
const rng = seededRng(2026);
const warmup = uploads(rng, WARMUP, false);
const fresh = uploads(rng, opts.bundles, false);
const gzipped = uploads(rng, opts.bundles, true);
const sizes = fresh.map((u) => u.body.byteLength).sort((a, b) => a - b);
const gzipRatio = gzipped.reduce((n, u) => n + u.body.byteLength, 0) / sizes.reduce((n, s) => n + s, 0);

console.log(
  `collector bench: ${opts.bundles} bundles per phase, concurrency ${opts.concurrency}, loopback, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`,
);
console.log(
  `bundle JSON: median ${(percentile(sizes, 50) / 1024).toFixed(1)} KB (min ${(sizes[0]! / 1024).toFixed(1)}, max ${(sizes[sizes.length - 1]! / 1024).toFixed(1)}); gzip sends ${(gzipRatio * 100).toFixed(0)}% of the bytes`,
);

let postgres: TestPostgres | undefined;
const rows: PhaseFigures[] = [];
try {
  if (opts.stores.includes('postgres')) {
    postgres = await startTestPostgres();
    console.log(`PostgreSQL: a fresh cluster on 127.0.0.1:${postgres.port} (${postgres.binDir}), fsync and synchronous_commit on`);
  }
  for (const store of opts.stores) {
    for (const workers of opts.workers) {
      const dir = tempDir('collector-bench-');
      const env: Record<string, string> =
        store === 'sqlite' ? { COLLECTOR_DB: path.join(dir, 'donations.sqlite') } : { COLLECTOR_DATABASE_URL: await createDatabase(postgres!.adminUrl, 'bench') };
      const collector = await spawnCollector({ ...env, COLLECTOR_RATE_LIMIT: '0' }, 60_000, ['--workers', String(workers)]);
      const databasePid = postgres === undefined || store !== 'postgres' ? undefined : postmasterPid(postgres.dataDir);
      const cpu = { server: () => treeCpuSeconds(collector.child.pid), database: () => (databasePid === undefined ? NaN : treeCpuSeconds(databasePid)) };
      try {
        await runPhase(collector.url, warmup, opts.concurrency, cpu);
        const results: Record<(typeof PHASES)[number], Upload[]> = { new: fresh, duplicate: fresh, gzip: gzipped };
        for (const phase of PHASES) {
          const row = figures(store, workers, phase, await runPhase(collector.url, results[phase], opts.concurrency, cpu));
          rows.push(row);
          console.log(`  ${store} × ${workers}: ${phase} ${row.bundlesPerSecond.toFixed(0)} bundles/s, p99 ${row.p99Ms.toFixed(1)} ms`);
        }
        const health = (await (await fetch(`${collector.url}/healthz`)).json()) as { bundles: number };
        const expected = WARMUP + 2 * opts.bundles;
        if (health.bundles !== expected) throw new Error(`${store} × ${workers}: ${health.bundles} bundles stored, expected ${expected}`);
      } finally {
        collector.child.kill('SIGTERM');
        await collector.exited;
        await killChild(collector);
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }
} finally {
  postgres?.stop();
}

console.log('');
for (const line of tableLines(rows)) console.log(line);
if (opts.json !== undefined) {
  writeFileSync(
    opts.json,
    `${JSON.stringify({ bench: 'collector', date: new Date().toISOString(), cpus: os.cpus().length, node: process.version, bundles: opts.bundles, concurrency: opts.concurrency, rows }, null, 2)}\n`,
  );
  console.log(`\nfigures written to ${opts.json}`);
}
