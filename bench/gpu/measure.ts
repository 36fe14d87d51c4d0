/**
 * One measurement, run in its own child process: one backend (webgpu | wasm) × one graph, on
 * onnxruntime-web's asyncify build (the one the app and transformers.js 4.3.1 load for both),
 * through the raw greedy loop of bench/runtime/greedy-loop.ts. A process each, because
 * env.wasm.numThreads is fixed per process and because onnxruntime-web's threads keep Node
 * from exiting (process.exit hangs): the child writes its result, then ends itself.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GpuCacheReleasingSession } from '../pages/ort-session-wrapper';
import { transformersLikeSessionOptions, type TransformersJsConfig } from '../pages/transformers-session-options';
import { greedyGenerate, median, seededPrompt, type DecoderShape, type GreedyRun, type OrtApi } from '../runtime/greedy-loop';
import { describeAdapter, installWebGpu, type AdapterReport } from './webgpu-in-node';

export type Backend = 'webgpu' | 'wasm';
export type Dtype = 'q8' | 'q4' | 'fp32';

export const GRAPH_FILE: Record<Dtype, string> = { q8: 'model_quantized.onnx', q4: 'model_q4.onnx', fp32: 'model.onnx' };

export interface MeasureSpec {
  backend: Backend;
  dtype: Dtype;
  modelDir: string;
  runtimeDir: string;
  threads: number;
  promptTokens: number;
  newTokens: number;
  runs: number;
}

export interface MeasureResult {
  backend: Backend;
  dtype: Dtype;
  threads: number;
  adapter: AdapterReport | null;
  sessionMs: number;
  ttftMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  runs: Omit<GreedyRun, 'tokens'>[];
  /** The first run's tokens, to compare backends (same graph, greedy: they should agree). */
  tokens: number[];
}

/** Type only: the module itself is imported at run time from the unpacked pack. */
type OrtModule = typeof import('onnxruntime-web/webgpu');

export async function measure(spec: MeasureSpec): Promise<MeasureResult> {
  let adapter: AdapterReport | null = null;
  if (spec.backend === 'webgpu') {
    const gpu = await installWebGpu(spec.runtimeDir);
    adapter = await describeAdapter(gpu);
    if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned null: no WebGPU adapter (see the probe diagnostics)');
  }
  const ortDir = join(spec.runtimeDir, 'ort');
  const ort = (await import(/* @vite-ignore */ pathToFileURL(join(ortDir, 'ort.webgpu.min.mjs')).href)) as OrtModule;
  // A plain folder path: onnxruntime-web in Node reads the files from disk.
  ort.env.wasm.wasmPaths = `${ortDir}/`;
  ort.env.wasm.proxy = false;
  ort.env.wasm.numThreads = spec.threads;
  ort.env.webgpu.powerPreference = 'high-performance';
  ort.env.logLevel = 'error';

  const config = JSON.parse(readFileSync(join(spec.modelDir, 'config.json'), 'utf8')) as {
    num_hidden_layers: number;
    num_key_value_heads: number;
    num_attention_heads: number;
    hidden_size: number;
    head_dim?: number;
    vocab_size: number;
    'transformers.js_config'?: TransformersJsConfig;
  };
  const shape: DecoderShape = {
    layers: config.num_hidden_layers,
    kvHeads: config.num_key_value_heads,
    headDim: config.head_dim ?? config.hidden_size / config.num_attention_heads,
  };
  const bytes = readFileSync(join(spec.modelDir, 'onnx', GRAPH_FILE[spec.dtype]));
  const created = performance.now();
  const raw = await ort.InferenceSession.create(bytes, transformersLikeSessionOptions(config, spec.backend, shape.layers));
  const sessionMs = performance.now() - created;
  const session = new GpuCacheReleasingSession(raw);

  const api = ort as unknown as OrtApi;
  const prompt = seededPrompt(spec.promptTokens, config.vocab_size);
  // Warm-up at full length: on WebGPU the first run of each shape compiles its pipelines.
  await greedyGenerate(api, session, shape, prompt, Math.min(2, spec.newTokens));
  session.releaseHeld();
  const measured: GreedyRun[] = [];
  for (let i = 0; i < spec.runs; i++) {
    measured.push(await greedyGenerate(api, session, shape, prompt, spec.newTokens));
    session.releaseHeld();
  }
  await raw.release();
  return {
    backend: spec.backend,
    dtype: spec.dtype,
    threads: spec.threads,
    adapter,
    sessionMs,
    ttftMs: median(measured.map((r) => r.ttftMs)),
    prefillTokensPerSecond: median(measured.map((r) => r.prefillTokensPerSecond)),
    decodeTokensPerSecond: median(measured.map((r) => r.decodeTokensPerSecond)),
    runs: measured.map(({ tokens: _tokens, ...rest }) => rest),
    tokens: measured[0]?.tokens ?? [],
  };
}

/** The probe child: is there a WebGPU adapter at all, and which. */
export async function probe(runtimeDir: string): Promise<AdapterReport | null> {
  return describeAdapter(await installWebGpu(runtimeDir));
}
