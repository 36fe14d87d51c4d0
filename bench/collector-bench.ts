/**
 * Benchmarks the donation collector over loopback. Prints figures; asserts nothing about speed.
 *
 *   npm run bench:collector                                  2,000 bundles, 16 at a time
 *   npm run bench:collector -- --bundles 5000 --concurrency 32
 *
 * The collector runs as its own process (`node --import tsx collector/main.ts`, as `npm run
 * collector` runs it) on port 0 with a fresh SQLite file in a temporary folder and the rate
 * limit off; this process is the client. Bundles are realistic (1–4 conversations of rated,
 * de-identified turns, 5–20 KB of JSON each) and made before the clock starts. Phases:
 *
 *   new        every bundle POSTed once: validation, one durable transaction each (201)
 *   duplicate  the same bundles again, as an outbox resending after lost answers (200)
 *   gzip       new bundles sent with Content-Encoding: gzip (201); MB/s counts bytes sent
 *
 * Latency is per request, from fetch() to the whole answer read; p50/p95/p99 in ms. "srv CPU ms"
 * is the collector process's CPU time per request (from /proc, Linux only): what the server
 * itself spends, apart from waiting for the disk.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { makeBundle, newToken } from '../tests/collector/support/bundles';
import { killChild, spawnCollector, tempDir } from '../tests/collector/support/collector';
import { seededRng, type Rng } from '../tests/collector/support/rng';

const USAGE = 'usage: collector-bench.ts [--bundles N] [--concurrency C]';
const MIN_BYTES = 5 * 1024;
const MAX_BYTES = 20 * 1024;
const WARMUP = 200;

interface Upload {
  body: Uint8Array<ArrayBuffer>;
  token: string;
  gzip: boolean;
}

interface PhaseResult {
  name: string;
  /** CPU seconds the collector process used during the phase (Linux /proc; NaN elsewhere). */
  serverCpu: number;
  requests: number;
  seconds: number;
  bytes: number;
  latencies: number[];
  statuses: Map<number, number>;
}

function options(): { bundles: number; concurrency: number } {
  const { values } = parseArgs({ options: { bundles: { type: 'string' }, concurrency: { type: 'string' } }, strict: true });
  const bundles = Number(values.bundles ?? 2000);
  const concurrency = Number(values.concurrency ?? 16);
  if (!Number.isInteger(bundles) || bundles < 1 || !Number.isInteger(concurrency) || concurrency < 1) throw new Error(USAGE);
  return { bundles, concurrency };
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

/** User + system CPU seconds of a process, from /proc (Linux); NaN where there is none. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name; clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

async function runPhase(name: string, url: string, items: Upload[], concurrency: number, pid?: number): Promise<PhaseResult> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let bytes = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
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
  const cpuBefore = cpuSeconds(pid);
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { name, serverCpu: cpuSeconds(pid) - cpuBefore, requests: items.length, seconds, bytes, latencies, statuses };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function report(result: PhaseResult): string {
  const sorted = [...result.latencies].sort((a, b) => a - b);
  const statuses = [...result.statuses].map(([s, n]) => `${s}×${n}`).join(' ');
  return [
    result.name.padEnd(10),
    `${result.requests}`.padStart(6),
    `${(result.requests / result.seconds).toFixed(0)}`.padStart(10),
    `${(result.bytes / result.seconds / 1024 / 1024).toFixed(2)}`.padStart(8),
    ...[50, 95, 99].map((p) => percentile(sorted, p).toFixed(1).padStart(8)),
    `${((result.serverCpu / result.requests) * 1000).toFixed(2)}`.padStart(12),
    `  ${statuses}`,
  ].join(' ');
}

const { bundles, concurrency } = options();
const dir = tempDir('collector-bench-');
const dbPath = path.join(dir, 'donations.sqlite');
const collector = await spawnCollector({ COLLECTOR_DB: dbPath, COLLECTOR_RATE_LIMIT: '0' });
try {
  const rng = seededRng(2026);
  const warmup = uploads(rng, WARMUP, false);
  const fresh = uploads(rng, bundles, false);
  const gzipped = uploads(rng, bundles, true);
  const sizes = fresh.map((u) => u.body.byteLength).sort((a, b) => a - b);
  const gzipRatio = gzipped.reduce((n, u) => n + u.body.byteLength, 0) / sizes.reduce((n, s) => n + s, 0);

  console.log(`collector bench: ${bundles} bundles per phase, concurrency ${concurrency}, loopback, ${os.cpus().length} CPUs, Node ${process.version}`);
  console.log(
    `bundle JSON: median ${(percentile(sizes, 50) / 1024).toFixed(1)} KB (min ${(sizes[0]! / 1024).toFixed(1)}, max ${(sizes[sizes.length - 1]! / 1024).toFixed(1)}); gzip sends ${(gzipRatio * 100).toFixed(0)}% of the bytes`,
  );
  await runPhase('warmup', collector.url, warmup, concurrency);

  const results = [
    await runPhase('new', collector.url, fresh, concurrency, collector.child.pid),
    await runPhase('duplicate', collector.url, fresh, concurrency, collector.child.pid),
    await runPhase('gzip', collector.url, gzipped, concurrency, collector.child.pid),
  ];
  console.log('');
  console.log(`${'phase'.padEnd(10)} ${'reqs'.padStart(6)} ${'bundles/s'.padStart(10)} ${'MB/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'srv CPU ms'.padStart(12)}   statuses`);
  for (const result of results) console.log(report(result));

  const health = (await (await fetch(`${collector.url}/healthz`)).json()) as { bundles: number };
  const fileBytes = ['', '-wal'].reduce((n, suffix) => {
    try {
      return n + statSync(dbPath + suffix).size;
    } catch {
      return n;
    }
  }, 0);
  console.log('');
  console.log(`stored: ${health.bundles} bundles, database ${(fileBytes / 1024 / 1024).toFixed(1)} MB (main file + WAL)`);
} finally {
  collector.child.kill('SIGTERM');
  await collector.exited;
  await killChild(collector);
  rmSync(dir, { recursive: true, force: true });
}
