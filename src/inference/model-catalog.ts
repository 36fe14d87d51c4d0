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

/** Real instruction-tuned models in transformers.js layout (DESIGN.md §3), smallest first. */
export const HUB_CATALOG: CatalogEntry[] = [
  {
    spec: { id: 'HuggingFaceTB/SmolLM2-360M-Instruct', dtypes: EVERY_DTYPE, contextWindow: 4096, local: false },
    label: 'SmolLM2 360M Instruct',
    note: 'Small and quick; fine for short everyday chat.',
    untrained: false,
    source: 'catalog',
    publishedSizes: { q4f16: 299e6 },
    defaultSampling: { temperature: 0.2, topP: 0.9 },
  },
  {
    spec: { id: 'onnx-community/Qwen2.5-0.5B-Instruct', dtypes: EVERY_DTYPE, contextWindow: 4096, local: false },
    label: 'Qwen2.5 0.5B Instruct',
    note: 'Multilingual; better answers, larger download.',
    untrained: false,
    source: 'catalog',
    publishedSizes: { q4f16: 483e6, q8: 512e6 },
    defaultSampling: { temperature: 0.7, topP: 0.8, topK: 20, repetitionPenalty: 1.05 },
  },
  {
    spec: { id: 'onnx-community/Llama-3.2-1B-Instruct', dtypes: EVERY_DTYPE, contextWindow: 4096, local: false },
    label: 'Llama 3.2 1B Instruct',
    note: 'The strongest of these; needs a good GPU or patience.',
    untrained: false,
    source: 'catalog',
    publishedSizes: { q4f16: 1.07e9 },
    defaultSampling: { temperature: 0.6, topP: 0.9 },
  },
];
