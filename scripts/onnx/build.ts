/**
 * Builds the project's own models (seeded random weights, transformers.js folder layout):
 * preset `tiny` → demo chat LM + encoder + stand-in safety classifier; preset
 * `smollm2-135m-shape` → a chat LM with SmolLM2-135M's dimensions, for benchmarks.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBertOnnx, installTriggerHead, makeBertWeights, type BertDims, type TriggerHead } from './bert.ts';
import { byteLevelLlama3Tokenizer } from './byte-level-tokenizer.ts';
import { bertClassifierConfig, bertConfig, llamaConfig, llamaGenerationConfig, type ExportShape, type Provenance } from './configs.ts';
import { llamaGraph, llamaOpsets, makeLlamaWeights, type LlamaDims, type LlamaGraphOptions } from './llama.ts';
import type { WeightPrecision } from './linear.ts';
import { encodeWithExternalData, type EncodedModel } from './proto.ts';
import { seedFor } from './rng.ts';
import { chatTokenizer, encoderTokenizer } from './tokenizer.ts';

/** Bump whenever the bytes a preset produces change, so `--if-missing` rebuilds. */
export const BUILDER_VERSION = 4;

export type PresetName = 'tiny' | 'smollm2-135m-shape' | 'hub-shapes';

type EncoderDims = Omit<BertDims, 'vocab'>;

export interface ChatShape extends ExportShape {
  logitsToKeep?: boolean;
  tokenizer?: 'byte-level-llama3';
  attention?: LlamaGraphOptions['attention'];
  /** Weight files to write (default fp32, q8 and q4). */
  precisions?: WeightPrecision[];
}

export type ModelSpec =
  | { kind: 'chat'; name: string; dims: LlamaDims; shape?: ChatShape }
  | { kind: 'encoder'; name: string; dims: EncoderDims }
  | { kind: 'safety'; name: string; dims: EncoderDims; triggerWords: string[] };

export interface Preset {
  defaultOut: string;
  seed: number;
  models: ModelSpec[];
}

const TINY_ENCODER: EncoderDims = {
  hidden: 64,
  layers: 2,
  heads: 4,
  intermediate: 256,
  maxPositions: 512,
  typeVocab: 2,
  layerNormEps: 1e-12,
};

export const TRIGGER_WORDS = ['kaboom'];

/** The Hub's usual files: q4f16 (fp16 activations and KV) is what WebGPU users download. */
const HUB_PRECISIONS: WeightPrecision[] = ['fp32', 'q8', 'q4', 'q4f16'];

/** The test fixtures' layers: tiny, so what they test is their export shape, not their size. */
const FIXTURE_BODY = { hidden: 32, layers: 2, heads: 4, kvHeads: 2, headDim: 8, intermediate: 64 } as const;

export const PRESETS: Record<PresetName, Preset> = {
  tiny: {
    defaultOut: 'public/models',
    seed: 20240601,
    models: [
      {
        kind: 'chat',
        name: 'demo-chat-tiny',
        dims: {
          hidden: 64,
          layers: 2,
          heads: 4,
          kvHeads: 2,
          headDim: 16,
          intermediate: 128,
          vocab: 32002,
          maxPositions: 2048,
          ropeTheta: 10000,
          rmsEps: 1e-5,
        },
      },
      { kind: 'encoder', name: 'demo-encoder-tiny', dims: TINY_ENCODER },
      { kind: 'safety', name: 'demo-safety-tiny', dims: TINY_ENCODER, triggerWords: TRIGGER_WORDS },
    ],
  },
  'smollm2-135m-shape': {
    defaultOut: 'bench/models',
    seed: 20240601,
    models: [
      {
        kind: 'chat',
        name: 'bench-chat-smollm2-135m-shape',
        dims: {
          hidden: 576,
          layers: 30,
          heads: 9,
          kvHeads: 3,
          headDim: 64,
          intermediate: 1536,
          vocab: 49152,
          maxPositions: 2048,
          ropeTheta: 100000,
          rmsEps: 1e-5,
        },
      },
    ],
  },
  'hub-shapes': {
    defaultOut: '.tmp/fixture-models',
    seed: 20240601,
    models: [
      {
        // What large Hub exports look like to the loader: external data, a Qwen-sized vocabulary
        // with a `num_logits_to_keep` input, and several EOS ids. Tiny otherwise, so it builds in a
        // second and stays small on disk.
        kind: 'chat',
        name: 'fixture-chat-hub-shapes',
        // A 320-token window, so a short conversation in the browser outgrows it.
        dims: { ...FIXTURE_BODY, vocab: 151_936, maxPositions: 320, ropeTheta: 1_000_000, rmsEps: 1e-6 },
        shape: { externalData: true, logitsToKeep: true, eosIds: [32001, 2], precisions: HUB_PRECISIONS },
      },
      {
        // A byte-level BPE tokenizer with Llama-3's headers and template, and its two EOS ids.
        kind: 'chat',
        name: 'fixture-chat-llama3-bpe',
        // A small window, so a short conversation in the browser outgrows it.
        dims: { ...FIXTURE_BODY, vocab: 512, maxPositions: 320, ropeTheta: 500_000, rmsEps: 1e-5 },
        shape: { tokenizer: 'byte-level-llama3', precisions: HUB_PRECISIONS },
      },
      {
        // Attention as com.microsoft GroupQueryAttention with RoPE inside, as onnxruntime-genai
        // exports (Llama-3.2, Phi-3) have it; byte-level BPE like them.
        kind: 'chat',
        name: 'fixture-chat-gqa',
        // GroupQueryAttention wants a head size that is a multiple of 16.
        dims: { ...FIXTURE_BODY, hidden: 64, headDim: 16, vocab: 512, maxPositions: 320, ropeTheta: 500_000, rmsEps: 1e-5 },
        shape: { tokenizer: 'byte-level-llama3', attention: 'gqa', precisions: ['fp32', 'q8', 'q4f16'] },
      },
    ],
  },
};

export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(PRESETS, name);
}

export interface BuildInfo {
  builder_version: number;
  preset: string;
  model: string;
  seed: number;
  files: Record<string, number>;
}

export interface BuiltModel {
  name: string;
  dir: string;
  /** File → bytes, relative to `dir`. */
  files: Record<string, number>;
  totalBytes: number;
  ms: number;
  skipped: boolean;
}

export interface BuildOptions {
  /** Skip a model whose folder is complete and was built by this builder version and seed. */
  ifMissing?: boolean;
  /** Build only the model with this name. */
  only?: string;
}

/** transformers.js's file name for each precision (its dtype suffixes). */
const WEIGHTS_FILE: Record<WeightPrecision, string> = {
  fp32: 'model.onnx',
  q8: 'model_quantized.onnx',
  q4: 'model_q4.onnx',
  q4f16: 'model_q4f16.onnx',
};

const DEFAULT_CHAT_PRECISIONS: WeightPrecision[] = ['fp32', 'q8', 'q4'];

function expectedFiles(spec: ModelSpec): string[] {
  const json = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
  if (spec.kind !== 'chat') return [...json, 'onnx/model.onnx', 'onnx/model_quantized.onnx'];
  const weights = (spec.shape?.precisions ?? DEFAULT_CHAT_PRECISIONS).map((p) => `onnx/${WEIGHTS_FILE[p]}`);
  const data = spec.shape?.externalData ? weights.map((f) => `${f}_data`) : [];
  return [...json, 'generation_config.json', ...weights, ...data];
}

function upToDate(dir: string, spec: ModelSpec, preset: string, seed: number): BuildInfo | null {
  const infoPath = join(dir, 'build-info.json');
  if (!existsSync(infoPath)) return null;
  try {
    const info = JSON.parse(readFileSync(infoPath, 'utf8')) as BuildInfo;
    if (info.builder_version !== BUILDER_VERSION || info.preset !== preset || info.seed !== seed) return null;
    for (const file of expectedFiles(spec)) {
      const path = join(dir, file);
      if (!existsSync(path) || statSync(path).size !== info.files[file]) return null;
    }
    return info;
  } catch {
    return null;
  }
}

/** Builds (or with `ifMissing`, reuses) one model folder `outDir/spec.name`. */
export function buildModel(spec: ModelSpec, outDir: string, preset: string, baseSeed: number, options: BuildOptions = {}): BuiltModel {
  const start = performance.now();
  const dir = join(outDir, spec.name);
  const seed = seedFor(baseSeed, spec.name);
  if (options.ifMissing) {
    const info = upToDate(dir, spec, preset, seed);
    if (info) {
      const totalBytes = Object.values(info.files).reduce((a, b) => a + b, 0);
      return { name: spec.name, dir, files: info.files, totalBytes, ms: performance.now() - start, skipped: true };
    }
  }
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  const files: Record<string, number> = {};
  const write = (file: string, data: EncodedModel | string) => {
    if (typeof data === 'string') writeFileSync(join(dir, file), data);
    else data.writeFile(join(dir, file));
    files[file] = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  };
  const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';
  const provenance: Provenance = { preset, seed, builderVersion: BUILDER_VERSION };

  if (spec.kind === 'chat') {
    const byteLevel = spec.shape?.tokenizer === 'byte-level-llama3' ? byteLevelLlama3Tokenizer() : null;
    const tok = byteLevel ?? chatTokenizer();
    if (spec.dims.vocab < tok.size) throw new Error(`${spec.name}: vocab ${spec.dims.vocab} < tokenizer ${tok.size}`);
    const weights = makeLlamaWeights(spec.dims, seed);
    const shape = { ...spec.shape, ...(byteLevel ? { eosIds: byteLevel.eosIds } : {}) };
    write('config.json', json(llamaConfig(spec.dims, provenance, shape)));
    write('generation_config.json', json(llamaGenerationConfig(shape)));
    write('tokenizer.json', JSON.stringify(tok.tokenizer));
    write('tokenizer_config.json', json(tok.tokenizerConfig));
    for (const precision of shape.precisions ?? DEFAULT_CHAT_PRECISIONS) {
      const file = WEIGHTS_FILE[precision];
      const graphOptions: LlamaGraphOptions = { logitsToKeep: shape.logitsToKeep, attention: shape.attention };
      const graph = llamaGraph(spec.dims, weights, precision, graphOptions);
      const opsets = llamaOpsets(precision, graphOptions);
      const doc = `LLaMA-shape causal LM, ${precision}${shape.attention === 'gqa' ? ', GroupQueryAttention' : ''}`;
      if (shape.externalData) {
        const { model, data } = encodeWithExternalData(graph, opsets, doc, `${file}_data`);
        write(`onnx/${file}`, model);
        write(`onnx/${file}_data`, data);
      } else {
        write(`onnx/${file}`, graph.encode(opsets, doc));
      }
    }
  } else {
    const tok = encoderTokenizer(spec.kind === 'safety' ? spec.triggerWords : []);
    const dims: BertDims = { ...spec.dims, vocab: tok.size };
    const weights = makeBertWeights(dims, seed);
    let head: TriggerHead | undefined;
    if (spec.kind === 'safety') {
      head = { tokenIds: tok.triggerTokenIds, dim: dims.hidden - 1, embeddingValue: 0.5, threshold: 3, gain: 2 };
      installTriggerHead(dims, weights, head);
      write('config.json', json(bertClassifierConfig(dims, provenance, spec.triggerWords, head)));
    } else {
      write('config.json', json(bertConfig(dims, provenance)));
    }
    write('tokenizer.json', JSON.stringify(tok.tokenizer));
    write('tokenizer_config.json', json(tok.tokenizerConfig));
    write('onnx/model.onnx', buildBertOnnx(dims, weights, 'fp32', head));
    write('onnx/model_quantized.onnx', buildBertOnnx(dims, weights, 'q8', head));
  }

  // Written last: its presence marks a complete folder.
  const info: BuildInfo = { builder_version: BUILDER_VERSION, preset, model: spec.name, seed, files: { ...files } };
  writeFileSync(join(dir, 'build-info.json'), json(info));
  const totalBytes = Object.values(files).reduce((a, b) => a + b, 0);
  return { name: spec.name, dir, files, totalBytes, ms: performance.now() - start, skipped: false };
}

/** Builds every model of a preset into `outDir` (default: the preset's folder). */
export function buildPreset(preset: PresetName, outDir?: string, options: BuildOptions = {}): BuiltModel[] {
  const p = PRESETS[preset];
  return p.models
    .filter((spec) => options.only === undefined || spec.name === options.only)
    .map((spec) => buildModel(spec, outDir ?? p.defaultOut, preset, p.seed, options));
}
