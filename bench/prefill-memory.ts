/**
 * Peak memory of one long prefill, in chunks against one pass, through the dialogue worker's
 * model code (DialogueModel) on onnxruntime-node (issue 14, item 2).
 *
 *   npm run bench:prefill-memory                        # SmolLM2-135M shape (npm run models:bench), 3,500 tokens
 *   npm run bench:prefill-memory -- --tokens 2000 --model demo-chat-tiny --json out.json
 *
 * An export without `num_logits_to_keep` returns float32 logits for every position it is fed,
 * so one pass over S tokens allocates S × vocabulary × 4 bytes. The figure is the process's peak
 * resident memory above what it held before the reply, sampled every 5 ms, for a fresh model per
 * mode, each in its own process so one cannot reuse the other's freed pages. In the browser the same allocation lands in the WASM heap; this is the Node-side proxy.
 * It prints figures and asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DialogueModel } from '../workers/dialogue/dialogue-model';
import { REPO_ROOT, useLocalModelFolderFor } from './harness/local-models';
import { PREFILL_CHUNK_TOKENS } from '../workers/dialogue/memory-budget';

interface Options {
  tokens: number;
  model: string;
  json?: string;
  /** Internal: measure one prefill chunk size in this process and print it as JSON. */
  only?: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { tokens: 3500, model: 'bench-chat-smollm2-135m-shape' };
  for (let i = 0; i < argv.length; i += 2) {
    const value = argv[i + 1];
    if (argv[i] === '--tokens') options.tokens = Number(value);
    else if (argv[i] === '--model') options.model = String(value);
    else if (argv[i] === '--json') options.json = value;
    else if (argv[i] === '--only') options.only = Number(value);
    else throw new Error(`usage: prefill-memory.ts [--tokens N] [--model ID] [--json FILE] (got ${argv[i]})`);
  }
  if (!(options.tokens >= 100)) throw new Error('--tokens must be at least 100');
  return options;
}

const options = parseArgs(process.argv.slice(2));

useLocalModelFolderFor(options.model);

/** A user message of about `tokens` tokens (checked against the reply's prompt count). */
const message = Array.from({ length: Math.ceil(options.tokens / 10) }, (_, i) => `river ${i} runs to the sea`).join(', ');

async function measure(prefillChunk: number) {
  const model = await DialogueModel.load({
    modelId: options.model,
    device: 'cpu',
    dtype: 'q8',
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

type Row = Awaited<ReturnType<typeof measure>>;

if (options.only !== undefined) {
  console.log(JSON.stringify(await measure(options.only)));
} else {
  const run = (chunk: number): Row => {
    const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--tokens', String(options.tokens), '--model', options.model, '--only', String(chunk)];
    const out = execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    return JSON.parse(out.trim().split('\n').pop()!) as Row;
  };
  const rows = [run(PREFILL_CHUNK_TOKENS), run(1_000_000)];
  console.log(`Prefill memory: ${options.model} q8 on onnxruntime-node, one prompt of ${rows[0]!.promptTokens} tokens, a fresh process per row\n`);
  console.log('| prefill | peak RSS above baseline | TTFT |');
  console.log('| --- | ---: | ---: |');
  for (const row of rows) {
    const label = row.prefillChunk >= row.promptTokens ? 'one pass' : `chunks of ${row.prefillChunk}`;
    console.log(`| ${label} | ${row.peakAboveBaselineMB.toFixed(0)} MB | ${row.ttftMs.toFixed(0)} ms |`);
  }
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify({ model: options.model, rows }, null, 2)}\n`);
    console.log(`\nwrote ${options.json}`);
  }
}
