/**
 * The native ceiling on this CPU (issue 7): the chat model's q8 graph on onnxruntime-node, in
 * the raw greedy loop of bench/runtime/greedy-loop.ts, with 1 thread and with all cores. The
 * browser figures (WASM, same loop on onnxruntime-web) divided by these give the WASM ÷ native
 * ratio. Prints a table and writes JSON + markdown to bench/results/.
 *
 *   npm run bench:native                         # SmolLM2-135M shape (built on demand), 128 → 64
 *   npm run bench:native -- --model tiny --prompt 32 --tokens 16 --runs 2
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { greedyGenerate, median, seededPrompt, type DecoderShape, type GreedyRun, type OrtApi, type OrtSession } from './runtime/greedy-loop';

const MODELS = {
  'smollm2-135m-shape': { dir: 'bench/models/bench-chat-smollm2-135m-shape', build: ['run', 'models:bench'] },
  tiny: { dir: 'public/models/demo-chat-tiny', build: ['run', 'models'] },
} as const;
type ModelName = keyof typeof MODELS;

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'smollm2-135m-shape' },
    prompt: { type: 'string', default: '128' },
    tokens: { type: 'string', default: '64' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench/results/native' },
  },
});

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

const modelName = args.model as ModelName;
if (!(modelName in MODELS)) {
  console.error(`--model must be one of ${Object.keys(MODELS).join(', ')}, got ${JSON.stringify(args.model)}`);
  process.exit(2);
}
const promptLength = positiveInt('prompt', args.prompt);
const newTokens = positiveInt('tokens', args.tokens);
const runs = positiveInt('runs', args.runs);

const model = MODELS[modelName];
const graph = join(model.dir, 'onnx', 'model_quantized.onnx');
if (!existsSync(graph)) {
  console.error(`${graph} is missing: building it (npm ${model.build.join(' ')})…`);
  execFileSync('npm', [...model.build], { stdio: 'inherit' });
}
const config = JSON.parse(readFileSync(join(model.dir, 'config.json'), 'utf8')) as {
  num_hidden_layers: number;
  num_key_value_heads: number;
  head_dim?: number;
  hidden_size: number;
  num_attention_heads: number;
  vocab_size: number;
};
const shape: DecoderShape = {
  layers: config.num_hidden_layers,
  kvHeads: config.num_key_value_heads,
  headDim: config.head_dim ?? config.hidden_size / config.num_attention_heads,
};
const prompt = seededPrompt(promptLength, config.vocab_size);

interface Row {
  threads: number;
  runs: GreedyRun[];
  ttftMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

async function measure(threads: number): Promise<Row> {
  const session = await ort.InferenceSession.create(graph, {
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
  });
  const api = ort as unknown as OrtApi;
  const raw = session as unknown as OrtSession;
  // One short warm-up: the first run pays for allocations the others do not.
  await greedyGenerate(api, raw, shape, prompt.slice(0, Math.min(8, prompt.length)), 2);
  const measured: GreedyRun[] = [];
  for (let i = 0; i < runs; i++) measured.push(await greedyGenerate(api, raw, shape, prompt, newTokens));
  await session.release();
  return {
    threads,
    runs: measured,
    ttftMs: median(measured.map((r) => r.ttftMs)),
    prefillTokensPerSecond: median(measured.map((r) => r.prefillTokensPerSecond)),
    decodeTokensPerSecond: median(measured.map((r) => r.decodeTokensPerSecond)),
  };
}

const threadCounts = [...new Set([1, availableParallelism()])];
const rows: Row[] = [];
for (const threads of threadCounts) rows.push(await measure(threads));

const machine = `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}, onnxruntime-node ${ort.env.versions.common}`;
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const table = [
  `Native ceiling: ${modelName} q8 on onnxruntime-node (CPU), raw greedy loop, prompt ${promptLength} → ${newTokens} new tokens, median of ${runs}`,
  `Machine: ${machine}`,
  '',
  '| threads | TTFT (ms) | prefill tok/s | decode tok/s |',
  '| ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.threads} | ${fixed(r.ttftMs)} | ${fixed(r.prefillTokensPerSecond)} | ${fixed(r.decodeTokensPerSecond)} |`),
].join('\n');
console.log(table);

mkdirSync(args.out!, { recursive: true });
const base = join(args.out!, `native-ceiling-${modelName}`);
writeFileSync(
  `${base}.json`,
  `${JSON.stringify(
    {
      kind: 'native-ceiling',
      model: modelName,
      dtype: 'q8',
      runtime: `onnxruntime-node ${ort.env.versions.common}`,
      machine,
      measuredAt: new Date().toISOString(),
      promptTokens: promptLength,
      newTokens,
      runs,
      results: rows.map(({ runs: all, ...summary }) => ({ ...summary, runs: all.map(({ tokens: _t, ...r }) => r) })),
    },
    null,
    2,
  )}\n`,
);
writeFileSync(`${base}.md`, `${table}\n`);
console.log(`\nwrote ${base}.json and ${base}.md`);
