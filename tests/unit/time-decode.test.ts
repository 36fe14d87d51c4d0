import path from 'node:path';
import { env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SamplingSettings } from '../../workers/shared/protocol';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import { StepTimer } from '../../workers/dialogue/step-timer';

// The real timing code on onnxruntime-node over the built demo model (`npm run models`). Node has
// no WebGPU: how the two browser backends compare is only tested with stand-ins (backend-benchmark).
env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('public/models')}/`;

const greedy: SamplingSettings = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 4, repetitionPenalty: 1 };

let model: DialogueModel;
beforeAll(async () => {
  model = await DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'q8', contextWindow: 2048, localOnly: true });
});

describe('DialogueModel.timeDecode', () => {
  it('returns a decode speed and leaves the conversation’s cache as it was', async () => {
    const turns = [{ role: 'user' as const, content: 'Hello there' }];
    const first = await model.generate({ conversationId: 'c', systemPrompt: '', turns, sampling: greedy });

    const rate = await model.timeDecode(8);
    expect(Number.isFinite(rate)).toBe(true);
    expect(rate).toBeGreaterThan(0);

    // The next turn still extends the cached conversation: timing neither replaced nor dropped it.
    const next = await model.generate({
      conversationId: 'c', systemPrompt: '', sampling: greedy,
      turns: [...turns, { role: 'assistant', content: first.text }, { role: 'user', content: 'And then?' }],
    });
    expect(next.metrics.prefillTokens).toBeLessThan(next.metrics.promptTokens);
  });

  it('generates the steps asked for plus the two it leaves untimed, whatever the model samples', async () => {
    // min_new_tokens keeps an end-of-sequence id from cutting the run short.
    const put = vi.spyOn(StepTimer.prototype, 'put');
    try {
      await model.timeDecode(5);
      // The prompt, then one call per generated token.
      expect(put).toHaveBeenCalledTimes(1 + 5 + 2);
    } finally {
      put.mockRestore();
    }
  });

  it('a model is freed before the next one loads (the worker does so between measuring loads)', async () => {
    const spare = await DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'q8', contextWindow: 2048, localOnly: true });
    await spare.timeDecode(1);
    await expect(spare.dispose()).resolves.toBeUndefined();
  });
});
