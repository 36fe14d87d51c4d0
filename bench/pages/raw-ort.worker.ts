/**
 * (c) of issue 7: onnxruntime-web alone, driven by the raw greedy loop, with the same import,
 * wasm binary, environment and session options transformers.js 4.3.1 uses for the same device.
 */
import * as ort from 'onnxruntime-web/webgpu';
import { greedyTurn, type KvState, type OrtApi } from '../runtime/greedy-loop';
import {
  modelFileUrl,
  type BenchRaw,
  type RawGenerateOptions,
  type RawGenerateResult,
  type RawLoadOptions,
  type RawLoadResult,
} from './bench-api';
import { decoderShapeFromConfig, type DecoderConfig } from './decoder-shape';
import { fetchJsonThroughCache, fetchThroughCache } from './model-bytes-cache';
import { GpuCacheReleasingSession } from './ort-session-wrapper';
import { runtimeWasmPaths, threadCount } from './runtime-files';
import { describeSessionOptions, transformersLikeSessionOptions, type TransformersJsConfig } from './transformers-session-options';
import { serveBench } from './serve-bench';
import { checkGenerateOptions, checkLoadOptions } from './validate-options';

const threads = configureOrt();

/** The environment transformers.js' backends/onnx.js sets on import, plus the app's files and threads. */
function configureOrt(): number {
  ort.env.wasm.wasmPaths = runtimeWasmPaths();
  ort.env.wasm.proxy = false;
  ort.env.webgpu.powerPreference = 'high-performance';
  ort.env.logLevel = 'error';
  const count = threadCount();
  ort.env.wasm.numThreads = count;
  return count;
}

type ModelConfig = DecoderConfig & { 'transformers.js_config'?: TransformersJsConfig };

interface Loaded {
  session: GpuCacheReleasingSession;
  shape: ReturnType<typeof decoderShapeFromConfig>;
  device: RawLoadOptions['device'];
  /** Where the last run left the conversation (wasm: tensors in JS memory), for a next turn. */
  state?: KvState;
}

let loaded: Loaded | null = null;

async function load(raw: RawLoadOptions): Promise<RawLoadResult> {
  const options = checkLoadOptions(raw);
  await dispose();
  const started = performance.now();
  const base = self.location.href;
  const config = await fetchJsonThroughCache<ModelConfig>(new URL(`/models/${encodeURIComponent(options.model)}/config.json`, base).href);
  const shape = decoderShapeFromConfig(config);
  const { bytes, fromCache } = await fetchThroughCache(modelFileUrl(options.model, options.dtype, base));
  const sessionOptions: ort.InferenceSession.SessionOptions = transformersLikeSessionOptions(config, options.device, shape.layers);
  if (options.levers?.graphOptimizationLevel) sessionOptions.graphOptimizationLevel = options.levers.graphOptimizationLevel;
  if (options.levers?.allowSpinning !== undefined) {
    sessionOptions.extra = { session: { intra_op: { allow_spinning: options.levers.allowSpinning ? '1' : '0' } } };
  }
  // Described before use: onnxruntime adds its own entries to the object it is given.
  const described = describeSessionOptions(sessionOptions);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, sessionOptions);
  } catch (error) {
    throw new Error(
      `onnxruntime-web could not create a ${options.device} session for ${options.model} (${options.dtype}): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  loaded = { session: new GpuCacheReleasingSession(session), shape, device: options.device };
  const loadMs = performance.now() - started;
  return { loadMs, threads, device: options.device, dtype: options.dtype, fromCache, sessionOptions: described };
}

async function generate(raw: RawGenerateOptions): Promise<RawGenerateResult> {
  const opts = checkGenerateOptions(raw);
  if (!loaded) throw new Error('generate(): call load() first');
  if (opts.promptIds === undefined) {
    throw new Error('generate(): the raw onnxruntime page has no tokenizer; pass promptIds (e.g. those the transformers.js page returned)');
  }
  if (opts.sampling !== undefined) throw new Error('generate(): the raw greedy loop does not sample; leave sampling out');
  if (opts.repetitionPenalty !== undefined && opts.repetitionPenalty !== 1) {
    throw new Error('generate(): the raw greedy loop has no repetition penalty; leave repetitionPenalty out (or 1)');
  }
  const { session, shape } = loaded;
  if (opts.continueConversation && !loaded.state) throw new Error('generate(): nothing to continue; run a first turn without continueConversation');
  if (opts.continueConversation && loaded.device !== 'wasm') throw new Error('generate(): continuing a conversation keeps the KV cache, which only the wasm page holds between runs');
  try {
    const { run, state } = await greedyTurn(ort as unknown as OrtApi, session, shape, opts.promptIds, opts.newTokens, opts.continueConversation ? loaded.state : undefined);
    loaded.state = loaded.device === 'wasm' ? state : undefined;
    return { ...run, promptIds: [...opts.promptIds] };
  } finally {
    session.releaseHeld();
  }
}

async function dispose(): Promise<void> {
  const current = loaded;
  loaded = null;
  if (!current) return;
  current.session.releaseHeld();
  await current.session.session.release();
}

serveBench<BenchRaw>(self, { load, generate, dispose });
