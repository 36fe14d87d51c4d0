import path from 'node:path';
import { AutoModelForCausalLM, env, PreTrainedModel, type Tensor } from '@huggingface/transformers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatTurn, SamplingSettings } from '../../workers/protocol';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';

// Runs the real dialogue code on onnxruntime-node over the built demo model (`npm run models`).
env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('public/models')}/`;

const greedy: SamplingSettings = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 6, repetitionPenalty: 1 };

let model: DialogueModel;
beforeAll(async () => {
  model = await DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'fp32', contextWindow: 2048, localOnly: true });
});

/** Records the token count of each forward pass; the first one of a generate call is its prefill. */
function watchPrefill() {
  const original = PreTrainedModel.prototype.forward;
  const lengths: number[] = [];
  // transformers.js mutates the inputs object between steps, so the length is read at call time.
  vi.spyOn(PreTrainedModel.prototype, 'forward').mockImplementation(function (this: PreTrainedModel, inputs: unknown) {
    lengths.push((inputs as { input_ids: Tensor }).input_ids.dims[1] ?? 0);
    return original.call(this, inputs as Parameters<typeof original>[0]);
  });
  return () => lengths[0] ?? 0;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('KV cache reuse across turns', () => {
  it('prefills only the new tokens on the second turn of the same conversation', async () => {
    await model.resetCache();
    const firstTurn: ChatTurn[] = [{ role: 'user', content: 'Hello there' }];
    let prefill = watchPrefill();
    const first = await model.generate({ conversationId: 'c1', systemPrompt: 'Be brief.', turns: firstTurn, sampling: greedy });
    expect(prefill()).toBe(first.metrics.promptTokens);
    expect(first.metrics.prefillTokens).toBe(first.metrics.promptTokens);
    vi.restoreAllMocks();

    const secondTurn: ChatTurn[] = [...firstTurn, { role: 'assistant', content: first.text }, { role: 'user', content: 'How are you?' }];
    prefill = watchPrefill();
    const second = await model.generate({ conversationId: 'c1', systemPrompt: 'Be brief.', turns: secondTurn, sampling: greedy });

    // The cache holds turn one's prompt and reply but its last token, which was never fed back.
    const cachedLength = first.metrics.promptTokens + first.metrics.newTokens - 1;
    expect(second.metrics.promptTokens).toBeGreaterThan(cachedLength);
    expect(second.metrics.prefillTokens).toBe(second.metrics.promptTokens - cachedLength);
    expect(prefill()).toBe(second.metrics.prefillTokens);
    expect(second.prompt.startsWith(first.prompt)).toBe(true);
  });

  it('drops the cache when the conversation changes or an earlier turn is edited', async () => {
    await model.resetCache();
    const turns: ChatTurn[] = [{ role: 'user', content: 'Hello there' }];
    const first = await model.generate({ conversationId: 'a', systemPrompt: '', turns, sampling: greedy });

    const continued: ChatTurn[] = [...turns, { role: 'assistant', content: first.text }, { role: 'user', content: 'More' }];
    const other = await model.generate({ conversationId: 'b', systemPrompt: '', turns: continued, sampling: greedy });
    expect(other.metrics.prefillTokens).toBe(other.metrics.promptTokens);

    const edited: ChatTurn[] = [{ role: 'user', content: 'Hello THERE' }, ...continued.slice(1)];
    const afterEdit = await model.generate({ conversationId: 'b', systemPrompt: '', turns: edited, sampling: greedy });
    expect(afterEdit.metrics.prefillTokens).toBe(afterEdit.metrics.promptTokens);
  });

  it('continues from the cache exactly as a cold model continues from the same token ids', async () => {
    await model.resetCache();
    const turns: ChatTurn[] = [{ role: 'user', content: 'Tell me about the sea' }];
    const first = await model.generate({ conversationId: 'x', systemPrompt: '', turns, sampling: greedy });
    const next: ChatTurn[] = [...turns, { role: 'assistant', content: first.text }, { role: 'user', content: 'Go on' }];

    const generateCall = vi.spyOn(PreTrainedModel.prototype, 'generate');
    const cached = await model.generate({ conversationId: 'x', systemPrompt: '', turns: next, sampling: greedy });
    expect(cached.metrics.prefillTokens).toBeLessThan(cached.metrics.promptTokens);
    const inputs = generateCall.mock.calls[0]![0] as { input_ids: Tensor; attention_mask: Tensor };
    const output = (await generateCall.mock.results[0]!.value) as { sequences: Tensor };
    vi.restoreAllMocks();

    const cold = await AutoModelForCausalLM.from_pretrained('demo-chat-tiny', { device: 'cpu', dtype: 'fp32', local_files_only: true });
    const uncached = (await cold.generate({
      input_ids: inputs.input_ids, attention_mask: inputs.attention_mask, do_sample: false, max_new_tokens: greedy.maxNewTokens,
    })) as Tensor;
    expect(uncached.tolist()).toEqual(output.sequences.tolist());
  });

  it('keeps the system prompt and drops the oldest turns when the context window is small', async () => {
    const small = await DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'fp32', contextWindow: 60, localOnly: true });
    const long: ChatTurn[] = [];
    for (let i = 0; i < 6; i++) {
      long.push({ role: 'user', content: `question number ${i} about something` });
      long.push({ role: 'assistant', content: `answer number ${i} with some words` });
    }
    long.push({ role: 'user', content: 'last question' });
    const reply = await small.generate({ conversationId: 's', systemPrompt: 'SYSTEM RULES', turns: long, sampling: greedy });
    expect(reply.metrics.droppedTurns).toBeGreaterThan(0);
    expect(reply.metrics.promptTokens).toBeLessThanOrEqual(60 - greedy.maxNewTokens);
    expect(reply.prompt).toContain('SYSTEM RULES');
    expect(reply.prompt).toContain('last question');
    expect(reply.prompt).not.toContain('question number 0');
  });
});
