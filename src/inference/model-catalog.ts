import type { ModelSpec } from '../../workers/protocol';

export interface CatalogEntry {
  spec: ModelSpec;
  label: string;
  /** Shown next to the model wherever it is chosen. */
  note: string;
  untrained: boolean;
}

/** Built by `npm run models` into public/models: random weights, real tokenizer, real ONNX graphs. */
export const DEMO_MODEL: CatalogEntry = {
  spec: { id: 'demo-chat-tiny', dtypes: ['fp32', 'q8', 'q4'], contextWindow: 2048, local: true },
  label: 'Demo model (tiny, built on this machine)',
  note: 'Untrained: its weights are random, so its replies are gibberish. It exists to show the app working offline; load a real model for real answers.',
  untrained: true,
};
