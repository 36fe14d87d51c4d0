/**
 * A chat model's life in the worker (workers/dialogue/dialogue-model.ts), on onnxruntime-node:
 * a reply that fails leaves no cache behind. (Freeing models on a switch is measured in Chromium,
 * where nothing but dispose() frees a session's WASM memory: tests/e2e/model-memory.spec.ts.)
 */
import path from 'node:path';
import { env, PreTrainedModel } from '@huggingface/transformers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';

env.allowRemoteModels = false;

const greedy: SamplingSettings = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 4, repetitionPenalty: 1 };
/** Two different models, as a user switching between the demo and an imported one. */
const MODELS = [
  { root: 'public/models', id: 'demo-chat-tiny' },
  { root: '.tmp/fixture-models', id: 'fixture-chat-hub-shapes' },
] as const;

async function load(which: (typeof MODELS)[number]): Promise<DialogueModel> {
  env.localModelPath = `${path.resolve(which.root)}/`;
  return DialogueModel.load({ modelId: which.id, device: 'cpu', dtype: 'q8', contextWindow: 512, localOnly: true });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a reply that fails', () => {
  it('frees the cache it was extending, and the next turn prefills its whole prompt and works', async () => {
    const model = await load(MODELS[0]);
    const turns: ChatTurn[] = [{ role: 'user', content: 'First question' }];
    const first = await model.generate({ conversationId: 'c', systemPrompt: '', turns, sampling: greedy });
    turns.push({ role: 'assistant', content: first.text }, { role: 'user', content: 'Second question' });

    const original = PreTrainedModel.prototype.generate;
    let calls = 0;
    vi.spyOn(PreTrainedModel.prototype, 'generate').mockImplementation(async function (this: PreTrainedModel, ...args: Parameters<typeof original>) {
      calls += 1;
      if (calls === 1) throw new Error('out of memory (simulated)');
      return original.apply(this, args);
    });
    await expect(model.generate({ conversationId: 'c', systemPrompt: '', turns, sampling: greedy })).rejects.toThrow('simulated');
    const again = await model.generate({ conversationId: 'c', systemPrompt: '', turns, sampling: greedy });
    // Nothing half-written was reused: the whole prompt went through the model again.
    expect(again.metrics.prefillTokens).toBe(again.metrics.promptTokens);
    await model.dispose();
  });
});
