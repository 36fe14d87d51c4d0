/**
 * Peak memory of one long prefill, in chunks against one pass, through the dialogue worker's
 * model code (DialogueModel), on onnxruntime-node and in Chromium on WASM (issue 14, item 2).
 *
 *   npm run bench:prefill-memory                        # SmolLM2-135M shape (npm run models:bench), 3,500 tokens, both runtimes
 *   npm run bench:prefill-memory -- --model fixture-chat-hub-shapes --where browser --json out.json
 *   npm run bench:prefill-memory -- --tokens 2000 --model demo-chat-tiny --where node
 *
 * The browser half needs the benchmark pages (`npm run bench:pages`).
 *
 * An export without `num_logits_to_keep` returns float32 logits for every position it is fed,
 * so one pass over S tokens allocates S × vocabulary × 4 bytes. Each row loads a fresh model:
 * - node: in its own process, so one row cannot reuse the other's freed pages; the figure is the
 *   process's peak resident memory above what it held before the reply, sampled every 5 ms.
 * - browser: in its own Chromium, in a worker of the prefill-memory page; the figure is the size
 *   of onnxruntime-web's WASM heap, which only grows, so its size afterwards is its peak. The
 *   copies of outputs (logits too) ORT makes for JavaScript are not in it. The heap stops at
 *   4 GiB: a run that needs more fails, and the table says where.
 * It prints figures and asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DialogueModel } from '../workers/dialogue/dialogue-model';
import { PREFILL_CHUNK_TOKENS } from '../workers/dialogue/memory-budget';
import { localModelRoot, REPO_ROOT, useLocalModelFolderFor } from './harness/local-models';
import { checkPagesBuilt, measureInBrowser, type BrowserRun } from './harness/prefill-memory-browser';
import { browserTable, nodeTable, ONE_PASS, type NodeRow } from './harness/prefill-memory-table';

const WHERE = ['node', 'browser', 'both'] as const;

interface Options {
  tokens: number;
  model: string;
  where: (typeof WHERE)[number];
  json?: string;
  /** Internal: measure one prefill chunk size on onnxruntime-node in this process and print it as JSON. */
  only?: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { tokens: 3500, model: 'bench-chat-smollm2-135m-shape', where: 'both' };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (argv[i] === '--tokens') options.tokens = Number(value);
    else if (argv[i] === '--model') options.model = String(value);
    else if (argv[i] === '--where') options.where = value as Options['where'];
    else if (argv[i] === '--json') options.json = value;
    else if (argv[i] === '--only') options.only = Number(value);
    else throw new Error(`usage: prefill-memory.ts [--tokens N] [--model ID] [--where node|browser|both] [--json FILE] (got ${argv[i]})`);
  }
  if (!(options.tokens >= 100)) throw new Error('--tokens must be at least 100');
  if (!WHERE.includes(options.where)) throw new Error(`--where must be one of ${WHERE.join(', ')}`);
  return options;
}

const options = parseArgs(process.argv.slice(2));
const DTYPE = 'q8';
const CHUNKS = [PREFILL_CHUNK_TOKENS, ONE_PASS];

useLocalModelFolderFor(options.model);

/** A user message of about `tokens` tokens (checked against the reply's prompt count). */
const message = Array.from({ length: Math.ceil(options.tokens / 10) }, (_, i) => `river ${i} runs to the sea`).join(', ');

async function measure(prefillChunk: number): Promise<NodeRow> {
  const model = await DialogueModel.load({
    modelId: options.model,
    device: 'cpu',
    dtype: DTYPE,
    contextWindow: options.tokens + 200,
    localOnly: true,
    prefillChunk,
  });
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const reply = await model.generate({
    conversationId: 'long',
    systemPrompt: '',
    turns: [{ role: 'user', content: message }],
    sampling: { temperature: 0, topP: 1, topK: 0, maxNewTokens: 2, repetitionPenalty: 1 },
  });
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  await model.resetCache();
  return { prefillChunk, promptTokens: reply.metrics.promptTokens, ttftMs: reply.metrics.ttftMs, peakAboveBaselineMB: (peak - baseline) / 1e6 };
}

function measureOnNode(): NodeRow[] {
  return CHUNKS.map((chunk) => {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--tokens', String(options.tokens), '--model', options.model, '--only', String(chunk)];
    const out = execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(out.trim().split('\n').pop()!) as NodeRow;
  });
}

async function main(): Promise<void> {
  const runNode = options.where !== 'browser';
  const runBrowser = options.where !== 'node';
  // Fail before minutes of Node-side work, not after.
  if (runBrowser) checkPagesBuilt();
  let node: NodeRow[] | undefined;
  let browser: BrowserRun | undefined;
  if (runNode) {
    node = measureOnNode();
    console.log(`\nPrefill memory: ${options.model} ${DTYPE} on onnxruntime-node, one prompt of ${node[0]!.promptTokens} tokens, a fresh process per row\n`);
    console.log(nodeTable(node));
  }
  if (runBrowser) {
    const base = { model: options.model, dtype: DTYPE, message, contextWindow: options.tokens + 200 } as const;
    browser = await measureInBrowser(join(localModelRoot(options.model), options.model), base, CHUNKS);
    const first = browser.rows.find((row) => row.promptTokens !== undefined);
    const threads = browser.rows[0]?.threads;
    console.log(
      `\nPrefill memory: ${options.model} ${DTYPE} on WASM in ${browser.browser} (${threads ?? '?'} threads), one prompt of ${first?.promptTokens ?? '?'} tokens, a fresh browser per row\n`,
    );
    console.log(browserTable(browser.rows));
  }
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify({ model: options.model, dtype: DTYPE, tokens: options.tokens, node, browser }, null, 2)}\n`);
    console.log(`\nwrote ${options.json}`);
  }
}

if (options.only !== undefined) {
  console.log(JSON.stringify(await measure(options.only)));
} else {
  await main();
}
