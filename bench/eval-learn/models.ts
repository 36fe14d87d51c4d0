/**
 * The chat models `npm run eval:learn` runs on, and the sampling it uses: the app's defaults
 * (`DEFAULT_SETTINGS.sampling`: temperature 0.8, top-p 0.95, top-k 50, repetition penalty 1.1)
 * with a shorter reply (the app's 256 new tokens would make the eval too slow on two cores, and
 * these random-weight models rarely stop by themselves, so almost every reply runs to the limit).
 */
import path from 'node:path';
import { env } from '@huggingface/transformers';
import { DEFAULT_SETTINGS } from '../../src/storage/settings';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import type { SamplingSettings } from '../../workers/shared/protocol';

export type EvalModelName = 'demo' | '135m';

export interface EvalModelSpec {
  name: EvalModelName;
  id: string;
  /** Folder the model's folder lies in (env.localModelPath). */
  dir: string;
  maxNewTokens: number;
  /** Held-out prompts sampled at each checkpoint (each once at N = 1 and once best-of-4). */
  heldOutPrompts: number;
  /** How to build it when it is missing. */
  build: string;
}

export const EVAL_MODELS: Record<EvalModelName, EvalModelSpec> = {
  demo: { name: 'demo', id: 'demo-chat-tiny', dir: 'public/models', maxNewTokens: 48, heldOutPrompts: 60, build: 'npm run models' },
  '135m': {
    name: '135m',
    id: 'bench-chat-smollm2-135m-shape',
    dir: 'bench/models',
    maxNewTokens: 32,
    heldOutPrompts: 24,
    build: 'npm run models:bench',
  },
};

export const SYSTEM_PROMPT = DEFAULT_SETTINGS.systemPrompt;

export function evalSampling(maxNewTokens: number): SamplingSettings {
  return { ...DEFAULT_SETTINGS.sampling, maxNewTokens };
}

export async function loadEvalModel(name: EvalModelName): Promise<{ model: DialogueModel; spec: EvalModelSpec }> {
  const spec = EVAL_MODELS[name];
  if (!spec) throw new Error(`--model must be one of ${Object.keys(EVAL_MODELS).join(', ')}, got ${name}`);
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${path.resolve(spec.dir)}/`;
  try {
    const model = await DialogueModel.load({ modelId: spec.id, device: 'cpu', dtype: 'q8', contextWindow: 2048, localOnly: true });
    return { model, spec };
  } catch (error) {
    throw new Error(`Cannot load ${spec.id} from ${spec.dir} (build it with \`${spec.build}\`): ${(error as Error).message}`);
  }
}
