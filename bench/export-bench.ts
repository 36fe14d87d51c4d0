/**
 * Benchmarks the training-data exporters (src/feedback/exporters.ts) on a seeded database.
 * Prints figures; it is not a test and asserts nothing about speed.
 *
 *   npm run bench:export                      5,000 then 50,000 messages, side by side
 *   npm run bench:export -- --messages 20000  2,000 then 20,000 (the small run is a tenth)
 *   npm run bench:export -- --messages 20000 --single   20,000 only
 *
 * Each size runs in its own Node process (fresh heap). The database is seeded in bulk
 * transactions with conversations of ~20 messages (system prompts, regenerated replies, edited
 * questions, ratings with reasons, comments and "what it should have said"); then each export
 * streams its lines into a file under os.tmpdir() through a write stream that respects
 * backpressure, while process.memoryUsage() is sampled every 20 ms and at every line.
 *
 * fake-indexeddb keeps the whole database in the JS heap of this process, so the figure that
 * matters is the peak rise above the baseline taken just before each export (after a GC when
 * Node runs with --expose-gc, which the npm script passes).
 */
import { mulberry32 } from '../scripts/onnx/rng';
import 'fake-indexeddb/auto';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { exportBb3x, exportDpo, exportKto, newPseudonymousUserId } from '../src/feedback/exporters';
import { DISLIKE_REASONS, type DislikeReason } from '../src/feedback/taxonomy';
import type { MessageFeedback } from '../src/feedback/types';
import { openChatDb, type ChatDb } from '../src/storage/db';
import type { Conversation, StoredMessage } from '../src/storage/schema';

const USAGE = 'usage: export-bench.ts [--messages N] [--single] [--keep-files]';
const SAMPLE_MS = 20;
const MB = 1024 * 1024;

interface Options {
  messages: number;
  single: boolean;
  keepFiles: boolean;
  /** Internal: the child process of a comparison writes its results here. */
  resultFile?: string;
}

interface ExportResult {
  name: string;
  lines: number;
  bytes: number;
  seconds: number;
  peakHeapDelta: number;
  peakRssDelta: number;
  /** Highest heap above the baseline at forced-GC points during a second pass; null without --expose-gc. */
  liveHeapDelta: number | null;
  retainedHeapDelta: number;
  samples: number;
  file: string;
}

interface SeedStats {
  conversations: number;
  deletedConversations: number;
  messages: number;
  replies: number;
  regeneratedTurns: number;
  editedTurns: number;
  rated: number;
  up: number;
  down: number;
  withReasons: number;
  withComment: number;
  withBetterResponse: number;
  seconds: number;
  databaseHeap: number;
}

interface RunResult {
  messages: number;
  seed: SeedStats;
  exports: ExportResult[];
}

// ---------------------------------------------------------------- seeding


const WORDS = (
  'the a model reply answer question weather today tomorrow recipe garden train ticket museum price '
  + 'because however which would could should maybe really quite simple small large first second '
  + 'explain example number result summary paragraph list step idea plan travel city river mountain '
  + 'café naïve “quoted” résumé über 東京 🙂 — code function value string array loop test'
).split(' ');

const SYSTEM_PROMPTS = [
  'You are a helpful assistant.',
  'Be brief and kind. Answer in plain language.',
  'You are a cooking assistant; suggest recipes with what the user has.',
  'Reply like a patient teacher, with one example per answer.',
];

function makeText(rng: () => number, minChars: number, maxChars: number): string {
  const target = minChars + Math.floor(rng() * (maxChars - minChars));
  const parts: string[] = [];
  let length = 0;
  let sentence = 0;
  while (length < target) {
    const word = WORDS[Math.floor(rng() * WORDS.length)]!;
    const first = sentence === 0;
    parts.push(first ? word[0]!.toUpperCase() + word.slice(1) : word);
    length += word.length + 1;
    sentence += 1;
    if (sentence > 6 && rng() < 0.2) {
      parts[parts.length - 1] += rng() < 0.15 ? '.\n\n' : '.';
      sentence = 0;
    }
  }
  return `${parts.join(' ').replace(/\n /g, '\n')}.`;
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function pickReasons(rng: () => number): DislikeReason[] {
  const first = pick(rng, DISLIKE_REASONS);
  const second = rng() < 0.3 ? pick(rng, DISLIKE_REASONS) : first;
  return DISLIKE_REASONS.filter((r) => r === first || r === second);
}

/** The templated prompt the app stores on each reply ("look inside"), capped like a context window. */
function templatedPrompt(systemPrompt: string, thread: readonly StoredMessage[]): string {
  const turns = thread.map((m) => `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`);
  const text = `${systemPrompt ? `<|im_start|>system\n${systemPrompt}<|im_end|>\n` : ''}${turns.join('')}<|im_start|>assistant\n`;
  return text.length > 6000 ? text.slice(-6000) : text;
}

interface SeededConversation {
  conversation: Conversation;
  messages: StoredMessage[];
  feedback: MessageFeedback[];
}

function seedConversation(rng: () => number, index: number, maxMessages: number, clock: { t: number }, stats: SeedStats): SeededConversation {
  const id = `conv-${String(index).padStart(6, '0')}-${Math.floor(rng() * 1e9).toString(36)}`;
  const systemPrompt = rng() < 0.4 ? pick(rng, SYSTEM_PROMPTS) : '';
  const target = Math.min(maxMessages, 14 + Math.floor(rng() * 13));
  const messages: StoredMessage[] = [];
  const feedback: MessageFeedback[] = [];
  const thread: StoredMessage[] = [];
  const createdAt = clock.t;
  let n = 0;
  const sampling = { temperature: 0.7, topP: 0.9, topK: 40, maxNewTokens: 256, repetitionPenalty: 1.1 };

  const write = (role: StoredMessage['role'], parentId: string | null, context: readonly StoredMessage[]): StoredMessage => {
    clock.t += 1000 + Math.floor(rng() * 20_000);
    const base: StoredMessage = {
      id: `${id}-m${n++}`, conversationId: id, parentId, role, createdAt: clock.t, updatedAt: clock.t, status: 'complete',
      content: role === 'user' ? makeText(rng, 20, 160) : makeText(rng, 200, 600),
    };
    const message: StoredMessage = role === 'user' ? base : {
      ...base,
      modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', sampling,
      metrics: {
        ttftMs: 150 + rng() * 400, decodeTokensPerSecond: 20 + rng() * 30, promptTokens: 200, prefillTokens: 80,
        newTokens: Math.round(base.content.length / 4), totalMs: 3000 + rng() * 6000, backend: 'wasm', dtype: 'q8', droppedTurns: 0,
      },
      prompt: templatedPrompt(systemPrompt, context),
    };
    messages.push(message);
    return message;
  };

  const rateReply = (reply: StoredMessage, probability: number, bias: 'up' | 'down' | null) => {
    stats.replies += 1;
    if (rng() >= probability) return;
    const rating = bias ?? (rng() < 0.55 ? 'up' : 'down');
    const down = rating === 'down';
    const record: MessageFeedback = {
      messageId: reply.id, conversationId: id, rating,
      reasons: down && rng() < 0.8 ? pickReasons(rng) : [],
      comment: (down ? rng() < 0.45 : rng() < 0.1) ? makeText(rng, 20, 140) : '',
      betterResponse: down && rng() < 0.35 ? makeText(rng, 80, 400) : '',
      createdAt: reply.createdAt + 5000, updatedAt: reply.createdAt + 5000,
      modelId: reply.modelId, backend: reply.backend, dtype: reply.dtype, sampling,
    };
    feedback.push(record);
    stats.rated += 1;
    stats[rating] += 1;
    if (record.reasons.length > 0) stats.withReasons += 1;
    if (record.comment) stats.withComment += 1;
    if (record.betterResponse) stats.withBetterResponse += 1;
  };

  while (messages.length < target) {
    const parent = thread.at(-1) ?? null;
    // Now and then the user edits the question: the old version keeps its answer on its own branch.
    if (parent && rng() < 0.04 && messages.length + 4 <= target) {
      stats.editedTurns += 1;
      const abandoned = write('user', parent.id, thread);
      rateReply(write('assistant', abandoned.id, [...thread, abandoned]), 0.34, null);
    }
    const question = write('user', parent?.id ?? null, thread);
    thread.push(question);
    if (messages.length >= target) break;
    // Some turns are answered more than once (regenerated); the last version is the one kept.
    const versions = rng() < 0.12 ? (rng() < 0.3 ? 3 : 2) : 1;
    if (versions > 1) stats.regeneratedTurns += 1;
    let kept: StoredMessage | undefined;
    for (let v = 0; v < versions && messages.length < target; v++) {
      kept = write('assistant', question.id, thread);
      const last = v === versions - 1;
      // A regenerated turn is rated more often, the discarded versions mostly down, the kept one mostly up.
      if (versions === 1) rateReply(kept, 0.34, null);
      else rateReply(kept, 0.6, rng() < 0.8 ? (last ? 'up' : 'down') : null);
    }
    if (kept) thread.push(kept);
  }

  const conversation: Conversation = {
    id, title: makeText(rng, 10, 40).slice(0, 40), createdAt, updatedAt: clock.t, systemPrompt,
    currentLeafId: thread.at(-1)?.id ?? null,
  };
  if (rng() < 0.01) {
    conversation.deletedAt = clock.t + 1;
    stats.deletedConversations += 1;
  }
  return { conversation, messages, feedback };
}

/** Seeds `total` messages in bulk read-write transactions of ~2,000 messages each. */
async function seed(db: ChatDb, total: number): Promise<SeedStats> {
  const stats: SeedStats = {
    conversations: 0, deletedConversations: 0, messages: 0, replies: 0, regeneratedTurns: 0, editedTurns: 0,
    rated: 0, up: 0, down: 0, withReasons: 0, withComment: 0, withBetterResponse: 0, seconds: 0, databaseHeap: 0,
  };
  const rng = mulberry32(20_240_601);
  const clock = { t: Date.UTC(2025, 0, 1) };
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  while (stats.messages < total) {
    const tx = db.transaction(['conversations', 'messages', 'feedback'], 'readwrite');
    const puts: Promise<unknown>[] = [];
    for (let batch = 0; batch < 2000 && stats.messages < total;) {
      const seeded = seedConversation(rng, stats.conversations, total - stats.messages, clock, stats);
      stats.conversations += 1;
      stats.messages += seeded.messages.length;
      batch += seeded.messages.length;
      puts.push(tx.objectStore('conversations').put(seeded.conversation));
      for (const m of seeded.messages) puts.push(tx.objectStore('messages').put(m));
      for (const f of seeded.feedback) puts.push(tx.objectStore('feedback').put(f));
    }
    await Promise.all([...puts, tx.done]);
  }
  stats.seconds = (performance.now() - started) / 1000;
  gc();
  stats.databaseHeap = process.memoryUsage().heapUsed - heapBefore;
  return stats;
}

// ---------------------------------------------------------------- measuring

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

function hasGc(): boolean {
  return typeof (globalThis as { gc?: unknown }).gc === 'function';
}

class MemorySampler {
  private peakHeap = 0;
  private peakRss = 0;
  private timer: NodeJS.Timeout | undefined;
  samples = 0;

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }

  sample(): void {
    const { heapUsed, rss } = process.memoryUsage();
    if (heapUsed > this.peakHeap) this.peakHeap = heapUsed;
    if (rss > this.peakRss) this.peakRss = rss;
    this.samples += 1;
  }

  stop(): { peakHeap: number; peakRss: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakHeap: this.peakHeap, peakRss: this.peakRss };
  }
}

/** Streams `lines` into `file`, awaiting 'drain' whenever the stream's buffer is full. */
async function writeLines(lines: AsyncGenerator<string>, file: string, onLine: (count: number) => void): Promise<{ count: number; bytes: number }> {
  const out = createWriteStream(file);
  let count = 0;
  let bytes = 0;
  for await (const line of lines) {
    count += 1;
    bytes += Buffer.byteLength(line);
    onLine(count);
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  return { count, bytes };
}

/**
 * Two passes over the same export. The first is timed and samples memory every 20 ms and at
 * every line; its peaks include garbage not yet collected, and V8 lets that grow in proportion
 * to the live heap (here mostly the fake database). The second forces a full GC at ~25 points
 * spread over the lines and keeps the highest heap left: what the export really holds.
 */
async function measureExport(name: string, makeLines: () => AsyncGenerator<string>, dir: string): Promise<ExportResult> {
  const file = path.join(dir, `${name.toLowerCase()}.jsonl`);
  gc();
  const baseline = process.memoryUsage();
  const sampler = new MemorySampler();
  const started = performance.now();
  sampler.start();
  const { count, bytes } = await writeLines(makeLines(), file, () => sampler.sample());
  const seconds = (performance.now() - started) / 1000;
  const { peakHeap, peakRss } = sampler.stop();
  gc();
  const after = process.memoryUsage();
  if (statSync(file).size !== bytes) throw new Error(`${file}: ${statSync(file).size} bytes on disk, ${bytes} written`);

  let liveHeapDelta: number | null = null;
  if (hasGc()) {
    const every = Math.max(1, Math.ceil(count / 25));
    gc();
    const liveBaseline = process.memoryUsage().heapUsed;
    let peakLive = liveBaseline;
    await writeLines(makeLines(), `${file}.pass2`, (n) => {
      if (n % every !== 0) return;
      gc();
      peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
    });
    rmSync(`${file}.pass2`, { force: true });
    liveHeapDelta = peakLive - liveBaseline;
  }
  return {
    name, lines: count, bytes, seconds, file, samples: sampler.samples,
    peakHeapDelta: peakHeap - baseline.heapUsed,
    peakRssDelta: peakRss - baseline.rss,
    liveHeapDelta,
    retainedHeapDelta: after.heapUsed - baseline.heapUsed,
  };
}

/** Checks that every line of a written file is one JSON object with the expected keys. */
function checkFile(result: ExportResult, keys: readonly string[]): void {
  const text = readFileSync(result.file, 'utf8');
  const lines = text.split('\n');
  if (lines.pop() !== '') throw new Error(`${result.file} does not end with a newline`);
  if (lines.length !== result.lines) throw new Error(`${result.file}: ${lines.length} lines, ${result.lines} yielded`);
  for (const line of lines) {
    const found = Object.keys(JSON.parse(line) as object).sort().join(',');
    if (found !== keys.join(',')) throw new Error(`${result.file}: unexpected keys ${found}`);
  }
}

async function runOne(messages: number, keepFiles: boolean): Promise<RunResult> {
  const db = await openChatDb(`export-bench-${messages}`);
  const seeded = await seed(db, messages);
  const dir = path.join(os.tmpdir(), `export-bench-${process.pid}-${messages}`);
  rmSync(dir, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  const exports = [
    await measureExport('KTO', () => exportKto(db), dir),
    await measureExport('DPO', () => exportDpo(db), dir),
    await measureExport('BB3x', () => exportBb3x(db, newPseudonymousUserId()), dir),
  ];
  checkFile(exports[0]!, ['completion', 'label', 'prompt']);
  checkFile(exports[1]!, ['chosen', 'prompt', 'rejected']);
  checkFile(exports[2]!, ['conversation_id', 'message_history', 'user_id']);
  if (!keepFiles) rmSync(dir, { recursive: true, force: true });
  db.close();
  return { messages, seed: seeded, exports };
}

// ---------------------------------------------------------------- printing

const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const signedMb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / MB).toFixed(1)} MB`;
const int = (n: number) => n.toLocaleString('en-US');
const liveMb = (e: ExportResult) => (e.liveHeapDelta === null ? 'n/a' : signedMb(e.liveHeapDelta));
const pct = (part: number, whole: number) => `${whole === 0 ? 0 : Math.round((100 * part) / whole)}%`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const format = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(format)].join('\n');
}

function printRun(run: RunResult, keepFiles: boolean): void {
  const s = run.seed;
  console.log(`\n== ${int(run.messages)} messages ==`);
  console.log(
    `seeded ${int(s.messages)} messages in ${int(s.conversations)} conversations (${s.deletedConversations} soft-deleted) in ${s.seconds.toFixed(1)} s; `
    + `database in heap ${mb(s.databaseHeap)}`,
  );
  console.log(
    `bot replies ${int(s.replies)}, rated ${int(s.rated)} (${pct(s.rated, s.replies)}): ${int(s.up)} up / ${int(s.down)} down; `
    + `${int(s.withReasons)} with reasons, ${int(s.withComment)} with comments, ${int(s.withBetterResponse)} with a better reply; `
    + `${int(s.regeneratedTurns)} regenerated turns, ${int(s.editedTurns)} edited questions`,
  );
  console.log(table(
    ['export', 'lines', 'bytes', 'seconds', 'lines/s', 'peak heap Δ', 'peak RSS Δ', 'live heap Δ', 'heap Δ after'],
    run.exports.map((e) => [
      e.name, int(e.lines), mb(e.bytes), e.seconds.toFixed(2), int(Math.round(e.lines / e.seconds)),
      signedMb(e.peakHeapDelta), signedMb(e.peakRssDelta), liveMb(e), signedMb(e.retainedHeapDelta),
    ]),
  ));
  if (keepFiles) for (const e of run.exports) console.log(`  ${e.name}: ${e.file}`);
}

/** The installed fake-indexeddb version (its package.json is not in its exports map). */
function fakeIndexedDbVersion(): string {
  try {
    const entry = createRequire(import.meta.url).resolve('fake-indexeddb');
    const root = entry.slice(0, entry.lastIndexOf(`${path.sep}fake-indexeddb${path.sep}`) + '/fake-indexeddb'.length);
    return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function printMachine(): void {
  const cpus = os.cpus();
  const fakeIdb = fakeIndexedDbVersion();
  console.log(
    `machine: ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${mb(os.totalmem())} RAM, `
    + `Node ${process.version} on ${os.platform()}/${os.arch()}, fake-indexeddb ${fakeIdb}`,
  );
  if (!hasGc()) {
    console.log('note: no global.gc (run with --expose-gc, as `npm run bench:export` does): baselines include garbage.');
  }
  console.log(
    'note: fake-indexeddb keeps the whole database in this process\'s JS heap, so absolute heap/RSS figures include it; '
    + 'every Δ below is measured from a baseline taken (after a GC) just before each export.',
  );
  console.log(
    '      peak heap/RSS Δ: highest of samples every 20 ms and at every line (includes uncollected garbage, which V8 lets '
    + 'grow with the live heap, i.e. with the fake database); live heap Δ: highest heap left after a forced GC at ~25 '
    + 'points of a second pass (what the export holds); heap Δ after: left once the export is done.',
  );
}

function printComparison(runs: readonly RunResult[]): void {
  console.log('\n== memory above the baseline during each export, by database size ==');
  const names = runs[0]!.exports.map((e) => e.name);
  const of = (r: RunResult, name: string) => r.exports.find((e) => e.name === name)!;
  const at = (label: string) => runs.map((r) => `${label} @${int(r.messages)}`);
  const rows = names.map((name) => [
    name,
    ...runs.map((r) => liveMb(of(r, name))),
    ...runs.map((r) => signedMb(of(r, name).peakHeapDelta)),
    ...runs.map((r) => signedMb(of(r, name).peakRssDelta)),
    ...runs.map((r) => int(Math.round(of(r, name).lines / of(r, name).seconds))),
  ]);
  const blank = runs.map(() => '');
  const dbRow = ['(database)', ...runs.map((r) => mb(r.seed.databaseHeap)), ...blank, ...blank, ...blank];
  console.log(table(['export', ...at('live heap Δ'), ...at('peak heap Δ'), ...at('peak RSS Δ'), ...at('lines/s')], [...rows, dbRow]));
  console.log(
    'The database grows 10×. What an export holds (live heap Δ) stays flat: it follows the largest conversation. '
    + 'The raw peaks grow with the heap V8 lets garbage fill before a full GC, which scales with the live heap (the fake database).',
  );
}

// ---------------------------------------------------------------- main

function parseArgs(argv: readonly string[]): Options | string {
  const options: Options = { messages: 50_000, single: false, keepFiles: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--messages') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 10) return `--messages needs a whole number of at least 10\n${USAGE}`;
      options.messages = n;
    } else if (arg === '--single') options.single = true;
    else if (arg === '--compare') options.single = false;
    else if (arg === '--keep-files') options.keepFiles = true;
    else if (arg === '--result-file') options.resultFile = argv[++i];
    else if (arg === '--help' || arg === '-h') return USAGE;
    else return `unknown argument: ${arg}\n${USAGE}`;
  }
  return options;
}

/** Runs one size in a child Node process (same loader flags, fresh heap) and returns its results. */
function runInChild(messages: number, keepFiles: boolean): RunResult {
  const resultFile = path.join(os.tmpdir(), `export-bench-${process.pid}-${messages}.json`);
  const script = fileURLToPath(import.meta.url);
  const args = [...process.execArgv, script, '--messages', String(messages), '--single', '--result-file', resultFile];
  if (keepFiles) args.push('--keep-files');
  const child = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (child.status !== 0) throw new Error(`the ${messages}-message run failed (exit ${child.status ?? child.signal})`);
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as RunResult;
  rmSync(resultFile, { force: true });
  return result;
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseArgs(argv);
  if (typeof options === 'string') {
    console.error(options);
    return options === USAGE ? 0 : 2;
  }
  if (options.single) {
    if (!options.resultFile) printMachine();
    const run = await runOne(options.messages, options.keepFiles);
    printRun(run, options.keepFiles);
    if (options.resultFile) writeFileSync(options.resultFile, JSON.stringify(run));
    return 0;
  }
  printMachine();
  const started = performance.now();
  const sizes = [Math.max(10, Math.round(options.messages / 10)), options.messages];
  const runs = sizes.map((n) => runInChild(n, options.keepFiles));
  printComparison(runs);
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
