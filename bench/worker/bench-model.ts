/**
 * Shared setup for the dialogue-worker benchmarks (issue 7): the real DialogueModel on
 * onnxruntime-node ('cpu') over the 135M-shape bench model (q8) or the tiny demo model.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { env } from '@huggingface/transformers';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import type { SamplingSettings } from '../../workers/shared/protocol';

export const BENCH_MODELS = {
  bench: { dir: 'bench/models', id: 'bench-chat-smollm2-135m-shape', dtype: 'q8' },
  tiny: { dir: 'public/models', id: 'demo-chat-tiny', dtype: 'fp32' },
} as const;
export type BenchModelName = keyof typeof BENCH_MODELS;

/**
 * Loads the model with the current DialogueModel, or, given `baseline`, with the copy of it in
 * that folder's `workers/` tree (an older version, e.g. extracted with `git show`, for
 * before/after figures in one run). Exits when the folder has none.
 */
export async function loadBenchModel(name: BenchModelName, baseline?: string, contextWindow = 2048): Promise<DialogueModel> {
  const spec = BENCH_MODELS[name];
  env.allowRemoteModels = false;
  env.localModelPath = `${path.resolve(spec.dir)}/`;
  let Model = DialogueModel;
  if (baseline) {
    const file = path.resolve(baseline, 'workers/dialogue/dialogue-model.ts');
    if (!existsSync(file)) {
      console.error(`--baseline: no ${file}`);
      process.exit(2);
    }
    Model = ((await import(file)) as { DialogueModel: typeof DialogueModel }).DialogueModel;
  }
  return Model.load({ modelId: spec.id, device: 'cpu', dtype: spec.dtype, contextWindow, localOnly: true });
}

/** The app's catalog defaults (temperature 0.7) with a fixed reply length. */
export function sampling(maxNewTokens: number, temperature = 0.7): SamplingSettings {
  return { temperature, topP: 0.8, topK: 20, repetitionPenalty: 1.05, maxNewTokens };
}

/** Plain words, deterministic, roughly one token each on a BPE vocabulary. */
export function filler(words: number, seed = 1): string {
  const vocab = ['the', 'sea', 'is', 'calm', 'and', 'blue', 'today', 'we', 'walk', 'along', 'a', 'quiet', 'shore', 'with', 'friends', 'who', 'talk', 'about', 'boats'];
  let s = seed;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(vocab[s % vocab.length]!);
  }
  return out.join(' ');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
