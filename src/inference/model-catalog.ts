import type { Dtype, ModelSpec, SamplingSettings } from '../../workers/shared/protocol';

export type ModelSource = 'built-in' | 'catalog' | 'hub' | 'folder';

export interface CatalogEntry {
  spec: ModelSpec;
  label: string;
  /** Shown next to the model wherever it is chosen. */
  note: string;
  untrained: boolean;
  source: ModelSource;
  /** Download size per dtype as published, shown before anything is downloaded. */
  publishedSizes?: Partial<Record<Dtype, number>>;
  /** Sampling its authors recommend (generation_config.json); "Reset to defaults" applies it over the app's defaults. */
  defaultSampling?: Partial<SamplingSettings>;
}

/** Built by `npm run models` into public/models: random weights, real tokenizer, real ONNX graphs. */
export const DEMO_MODEL: CatalogEntry = {
  spec: { id: 'demo-chat-tiny', dtypes: ['fp32', 'q8', 'q4'], contextWindow: 2048, local: true },
  label: 'Demo model (tiny, built on this machine)',
  note: 'Untrained: its weights are random, so its replies are gibberish. It exists to show the app working offline; load a real model for real answers.',
  untrained: true,
  source: 'built-in',
};

const EVERY_DTYPE: Dtype[] = ['fp32', 'fp16', 'q8', 'q4', 'q4f16'];

/**
 * Download size per dtype: the weights (with any `_data` file) plus the files every dtype loads
 * (config.json, generation_config.json, tokenizer.json, tokenizer_config.json), the same set
 * model-probe.ts measures, so "Check size" replaces a figure with a comparable one.
 */
function withSharedFiles(weights: Partial<Record<Dtype, number>>, shared: number): Partial<Record<Dtype, number>> {
  return Object.fromEntries(Object.entries(weights).map(([dtype, bytes]) => [dtype, bytes + shared]));
}

/**
 * Real instruction-tuned models in transformers.js layout (DESIGN.md §3), smallest first.
 * Every size below is the figure the Hub's file listing publishes (rounded there to three
 * digits, so the app shows it as "about …"); none is an estimate. `dtypes` lists only the
 * weights the repo has, so each dtype the device may pick has a published size.
 */
export const HUB_CATALOG: CatalogEntry[] = [
  {
    // The repo's onnx/ has no model_quantized.onnx (q8) since "Upload improved ONNX weights (#7)".
    spec: { id: 'HuggingFaceTB/SmolLM2-360M-Instruct', dtypes: ['fp32', 'fp16', 'q4', 'q4f16'], contextWindow: 4096, local: false },
    label: 'SmolLM2 360M Instruct',
    note: 'Small and quick; fine for short everyday chat.',
    untrained: false,
    source: 'catalog',
    // huggingface.co/HuggingFaceTB/SmolLM2-360M-Instruct/tree/main/onnx (commit 6d8b2a3): model.onnx
    // 1.64 GB, model_fp16 819 MB, model_q4 417 MB, model_q4f16 299 MB. Shared: tokenizer.json 2.1 MB
    // (blob page), tokenizer_config.json ≈ 3.8 kB, config and generation_config < 1 kB each.
    publishedSizes: withSharedFiles({ fp32: 1.64e9, fp16: 819e6, q4: 417e6, q4f16: 299e6 }, 2.1e6),
    defaultSampling: { temperature: 0.2, topP: 0.9 },
  },
  {
    spec: { id: 'onnx-community/Qwen2.5-0.5B-Instruct', dtypes: EVERY_DTYPE, contextWindow: 4096, local: false },
    label: 'Qwen2.5 0.5B Instruct',
    note: 'Multilingual; better answers, larger download.',
    untrained: false,
    source: 'catalog',
    // huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/tree/main/onnx (commit 516c8d0): model.onnx
    // 1.99 GB, model_fp16 997 MB, model_quantized 512 MB, model_q4 786 MB, model_q4f16 483 MB.
    // Shared (tree/main): tokenizer.json 7.03 MB, tokenizer_config.json 7.31 kB, config.json 678 B,
    // generation_config.json 242 B.
    publishedSizes: withSharedFiles({ fp32: 1.99e9, fp16: 997e6, q8: 512e6, q4: 786e6, q4f16: 483e6 }, 7.04e6),
    defaultSampling: { temperature: 0.7, topP: 0.8, topK: 20, repetitionPenalty: 1.05 },
  },
  {
    spec: { id: 'onnx-community/Llama-3.2-1B-Instruct', dtypes: EVERY_DTYPE, contextWindow: 4096, local: false },
    label: 'Llama 3.2 1B Instruct',
    note: 'The strongest of these; needs a good GPU or patience.',
    untrained: false,
    source: 'catalog',
    // huggingface.co/onnx-community/Llama-3.2-1B-Instruct/tree/main/onnx (commit 1ae0c06): model.onnx
    // 524 kB + model.onnx_data 4.94 GB, model_fp16 532 kB + model_fp16.onnx_data 2.47 GB,
    // model_quantized 1.24 GB, model_q4 1.66 GB, model_q4f16 1.07 GB. Shared (tree/main):
    // tokenizer.json 9.09 MB, tokenizer_config.json 50.9 kB, config.json 946 B, generation_config.json 184 B.
    publishedSizes: withSharedFiles({ fp32: 4.94e9 + 524e3, fp16: 2.47e9 + 532e3, q8: 1.24e9, q4: 1.66e9, q4f16: 1.07e9 }, 9.14e6),
    defaultSampling: { temperature: 0.6, topP: 0.9 },
  },
];
