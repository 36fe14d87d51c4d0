/**
 * Issue 19's levers on the WASM decode, tried one at a time on the raw onnxruntime-web greedy loop
 * (path (c) of `npm run bench`) in Debian's Chromium: graph shape (LM head as activation ×
 * transposed weight, one DynamicQuantizeLinear per matmul so each can fuse), weight format (fp32,
 * q8, q4 MatMulNBits), graph optimisation level and thread spinning. Every variant is loaded in its
 * own page first, then they take turns run by run, so background load hits them alike.
 * Prints a table (and with --json, writes it) with each variant against the q8 graph as built and,
 * when `npm run bench:native` has written its figures, against native onnxruntime-node.
 *
 *   npm run bench:levers [-- --model smollm2-135m-shape|tiny] [--runs 3] [--tokens 64] [--threads 1,2] [--json FILE]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from '@playwright/test';
import { chromiumPath, wasmArgs } from '../tests/chromium';
import { PRESETS } from '../scripts/onnx/build';
import { llamaGraph, llamaOpsets, makeLlamaWeights, type LlamaDims, type LlamaGraphOptions } from '../scripts/onnx/llama';
import { seedFor } from '../scripts/onnx/rng';
import { BENCH_MODELS } from './harness/bench-models';
import { median } from './harness/figures';
import { disposeRaw, openRawPage, rawGenerate, type RawGenerateResult } from './harness/raw-path';
import { startStaticServer } from './harness/static-server';
import type { OrtLevers, RawDtype } from './pages/bench-api';
import { seededPrompt } from './runtime/greedy-loop';

const MODELS = BENCH_MODELS;

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: 'smollm2-135m-shape' },
    runs: { type: 'string', default: '3' },
    tokens: { type: 'string', default: '64' },
    prompt: { type: 'string', default: '128' },
    threads: { type: 'string', default: '1,2' },
    json: { type: 'string' },
  },
});

function wholeNumber(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

const modelName = args.model!;
const model = MODELS[modelName];
if (!model) {
  console.error(`--model: unknown ${modelName}; known: ${Object.keys(MODELS).join(', ')}`);
  process.exit(2);
}
const runs = wholeNumber('runs', args.runs);
const newTokens = wholeNumber('tokens', args.tokens);
const promptTokens = wholeNumber('prompt', args.prompt);
const threadModes = args.threads!.split(',').map((t) => wholeNumber('threads', t.trim()));
if (threadModes.some((t) => t > 2)) {
  console.error('--threads: 1 (a page without cross-origin isolation) or 2 (an isolated page; the pages use min(4, cores) threads)');
  process.exit(2);
}

interface Variant {
  name: string;
  /** Folder under /models/ the page loads. */
  folder: string;
  dtype: RawDtype;
  levers?: OrtLevers;
  /** Graph options of a variant the builder writes for this script; absent: the model as built. */
  graph?: LlamaGraphOptions;
}

const base = model.dir.split('/').at(-1)!;
const VARIANTS: Variant[] = [
  { name: 'q8 as built (head as x · transposed copy, shared quantize)', folder: base, dtype: 'q8' },
  { name: 'q8, tied head (table as left operand)', folder: `${base}-head-tied`, dtype: 'q8', graph: { lmHead: 'tied' } },
  { name: 'q8, one quantize per matmul', folder: `${base}-dq-each`, dtype: 'q8', graph: { quantizeEachMatmul: true } },
  { name: 'q8, fused RMSNorm (SimplifiedLayerNormalization)', folder: `${base}-norm-fused`, dtype: 'q8', graph: { norm: 'fused' } },
  { name: 'q8, GroupQueryAttention with RoPE inside', folder: `${base}-gqa`, dtype: 'q8', graph: { attention: 'gqa' } },
  { name: 'q8, fused RMSNorm and GroupQueryAttention (genai-export shape)', folder: `${base}-norm-fused-gqa`, dtype: 'q8', graph: { norm: 'fused', attention: 'gqa' } },
  { name: 'fp32 as built (tied head, Gemm)', folder: base, dtype: 'fp32' },
  { name: 'q4 (MatMulNBits)', folder: base, dtype: 'q4' },
  { name: 'q8, graph optimisation basic', folder: base, dtype: 'q8', levers: { graphOptimizationLevel: 'basic' } },
  { name: 'q8, no spinning threads', folder: base, dtype: 'q8', levers: { allowSpinning: false } },
];

const LEVER_DIR = '.tmp/levers';
const FILE_BY_DTYPE: Record<'q8' | 'fp32', string> = { q8: 'model_quantized.onnx', fp32: 'model.onnx' };

/** Writes the graph variants (same seeded weights as the model) beside a copy of its config. */
function buildVariants(): void {
  const builtBy = JSON.parse(readFileSync(join(model!.dir, 'build-info.json'), 'utf8')) as { builder_version: number };
  if (!existsSync(join(model!.dir, 'onnx', 'model_quantized.onnx'))) execFileSync('npm', model!.build, { stdio: 'inherit' });
  const preset = PRESETS[model!.preset];
  const spec = preset.models.find((m) => m.kind === 'chat')!;
  const dims = spec.dims as LlamaDims;
  let weights: ReturnType<typeof makeLlamaWeights> | undefined;
  for (const v of VARIANTS) {
    if (!v.graph) continue;
    const dir = join(LEVER_DIR, v.folder);
    const file = join(dir, 'onnx', FILE_BY_DTYPE[v.dtype as 'q8' | 'fp32']);
    const stamp = join(dir, 'builder-version');
    if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8') === String(builtBy.builder_version)) continue;
    weights ??= makeLlamaWeights(dims, seedFor(preset.seed, spec.name));
    mkdirSync(join(dir, 'onnx'), { recursive: true });
    copyFileSync(join(model!.dir, 'config.json'), join(dir, 'config.json'));
    const precision = v.dtype as 'q8' | 'fp32';
    llamaGraph(dims, weights, precision, v.graph).encode(llamaOpsets(precision, v.graph), `lever variant ${v.name}`).writeFile(file);
    writeFileSync(stamp, String(builtBy.builder_version));
    console.log(`wrote ${file}`);
  }
}

interface Row {
  variant: string;
  threads: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  ttftMs: number;
  runs: Array<Pick<RawGenerateResult, 'prefillTokensPerSecond' | 'decodeTokensPerSecond' | 'ttftMs'>>;
}

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

async function measure(threads: number, baseUrl: string): Promise<Row[]> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: wasmArgs });
  const contexts: BrowserContext[] = [];
  try {
    const pages = [];
    for (const v of VARIANTS) {
      const context = await browser.newContext();
      await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
      contexts.push(context);
      const page = await context.newPage();
      const loaded = await openRawPage(page, baseUrl, 'raw-ort', { model: v.folder, device: 'wasm', dtype: v.dtype, ...(v.levers ? { levers: v.levers } : {}) });
      if (loaded.threads !== threads) throw new Error(`${v.name}: the page runs ${loaded.threads} threads, not ${threads}`);
      await rawGenerate(page, { promptIds: prompt, newTokens: 4 });
      pages.push(page);
      log(`${threads} thr · loaded ${v.name} in ${Math.round(loaded.loadMs)} ms`);
    }
    const results: RawGenerateResult[][] = VARIANTS.map(() => []);
    for (let r = 0; r < runs; r++) {
      for (let i = 0; i < VARIANTS.length; i++) results[i]!.push(await rawGenerate(pages[i]!, { promptIds: prompt, newTokens }));
      log(`${threads} thr · round ${r + 1} of ${runs}`);
    }
    for (const page of pages) await disposeRaw(page);
    return VARIANTS.map((v, i) => {
      const list = results[i]!;
      return {
        variant: v.name,
        threads,
        prefillTokensPerSecond: median(list.map((x) => x.prefillTokensPerSecond)),
        decodeTokensPerSecond: median(list.map((x) => x.decodeTokensPerSecond)),
        ttftMs: median(list.map((x) => x.ttftMs)),
        runs: list.map(({ prefillTokensPerSecond, decodeTokensPerSecond, ttftMs }) => ({ prefillTokensPerSecond, decodeTokensPerSecond, ttftMs })),
      };
    });
  } finally {
    for (const context of contexts) await context.close();
    await browser.close();
  }
}

function nativeDecode(): Record<number, number> {
  const path = `bench/results/native/native-ceiling-${modelName}.json`;
  if (!existsSync(path)) return {};
  const json = JSON.parse(readFileSync(path, 'utf8')) as { results: Array<{ threads: number; decodeTokensPerSecond: number }> };
  return Object.fromEntries(json.results.map((r) => [r.threads, r.decodeTokensPerSecond]));
}

function table(rows: Row[], native: Record<number, number>): string {
  const x = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
  const lines = [
    `WASM levers on ${modelName}: raw onnxruntime-web greedy loop, ${promptTokens}-token prompt → ${newTokens} tokens, median of ${runs} alternating runs. Native = onnxruntime-node, same loop, from bench/results/native (an earlier run).`,
    '',
    '| variant | threads | prefill tok/s | decode tok/s | prefill ÷ as built | decode ÷ as built | decode ÷ native |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const built = rows.find((r) => r.threads === row.threads && r.variant === VARIANTS[0]!.name)!;
    lines.push(
      `| ${row.variant} | ${row.threads} | ${row.prefillTokensPerSecond.toFixed(1)} | ${row.decodeTokensPerSecond.toFixed(1)} | ${x(row.prefillTokensPerSecond / built.prefillTokensPerSecond)} | ${x(row.decodeTokensPerSecond / built.decodeTokensPerSecond)} | ${x(row.decodeTokensPerSecond / (native[row.threads] ?? Number.NaN))} |`,
    );
  }
  return lines.join('\n');
}

const prompt = seededPrompt(promptTokens, (PRESETS[model.preset].models.find((m) => m.kind === 'chat')!.dims as LlamaDims).vocab);

async function main(): Promise<void> {
  if (!existsSync('.tmp/bench-pages/raw-ort.html')) execFileSync('npx', ['vite', 'build', '--config', 'bench/vite.pages.config.ts'], { stdio: 'inherit' });
  buildVariants();
  const folders = [...new Set(VARIANTS.map((v) => v.folder))];
  const mounts = Object.fromEntries(folders.map((f) => [`/models/${f}/`, resolve(f === base ? model!.dir : join(LEVER_DIR, f))]));
  const servers = {
    plain: await startStaticServer({ root: resolve('.tmp/bench-pages'), isolate: false, mounts }),
    isolated: await startStaticServer({ root: resolve('.tmp/bench-pages'), isolate: true, mounts }),
  };
  const rows: Row[] = [];
  try {
    for (const threads of threadModes) rows.push(...(await measure(threads, threads === 1 ? servers.plain.url : servers.isolated.url)));
  } finally {
    await servers.plain.close();
    await servers.isolated.close();
  }
  const native = nativeDecode();
  const text = table(rows, native);
  console.log(`\n${text}\n`);
  if (args.json) {
    const report = {
      kind: 'wasm-levers',
      measuredAt: new Date().toISOString(),
      machine: `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores`,
      model: modelName,
      settings: { promptTokens, newTokens, runs },
      native,
      rows,
    };
    writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${args.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
