import type { Dtype } from '../../workers/shared/protocol';
import type { RewardModelSpec } from '../../workers/shared/reward-protocol';

export interface RewardCatalogEntry {
  spec: RewardModelSpec;
  label: string;
  /** Shown next to the model wherever it is chosen. */
  note: string;
  untrained: boolean;
  /** Download size per dtype as published, shown before anything is downloaded. */
  publishedSizes?: Partial<Record<Dtype, number>>;
}

/** Built by `npm run models` into public/models (fp32 `model.onnx` and q8 `model_quantized.onnx`). */
export const DEMO_ENCODER: RewardModelSpec = { id: 'demo-encoder-tiny', dtypes: ['fp32', 'q8'], local: true };

/** Built stand-in: flags text containing the trigger word "kaboom"; says nothing about real safety. */
export const DEMO_SAFETY: RewardModelSpec = {
  id: 'demo-safety-tiny',
  dtypes: ['fp32', 'q8'],
  local: true,
  unsafeLabels: ['unsafe'],
};

export const MINILM_ENCODER: RewardModelSpec = {
  id: 'Xenova/all-MiniLM-L6-v2',
  dtypes: ['fp32', 'fp16', 'q8'],
  local: false,
};

export const TOXIC_BERT: RewardModelSpec = {
  id: 'Xenova/toxic-bert',
  dtypes: ['fp32', 'q8'],
  local: false,
  multiLabel: true,
  unsafeLabels: ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'],
};

export const ENCODER_CATALOG: RewardCatalogEntry[] = [
  {
    spec: DEMO_ENCODER,
    label: 'Demo encoder (tiny, built on this machine)',
    note: 'Untrained: random weights. Your reward head still learns simple preferences (a word or topic) on it, offline.',
    untrained: true,
  },
  {
    spec: MINILM_ENCODER,
    label: 'all-MiniLM-L6-v2 sentence encoder',
    note: 'A real sentence encoder: the reward head learns what you like from meaning, not just words. Downloaded only when chosen.',
    untrained: false,
    publishedSizes: { q8: 23e6, fp16: 45e6, fp32: 90e6 },
  },
];

export const SAFETY_CATALOG: RewardCatalogEntry[] = [
  {
    spec: DEMO_SAFETY,
    label: 'Demo safety stand-in (tiny, built on this machine)',
    note: 'Not a safety model: it only flags the word "kaboom", to show the safety gate working offline.',
    untrained: true,
  },
  {
    spec: TOXIC_BERT,
    label: 'toxic-bert (toxicity classifier)',
    note: 'Flags toxic, obscene, threatening, insulting and hateful text (English). Downloaded only when chosen.',
    untrained: false,
    publishedSizes: { q8: 111e6, fp32: 438e6 },
  },
];
