/**
 * The generation adapter inside the real dialogue code (onnxruntime-node, the built demo model):
 * the rated reply's logits line up with what the model generated, an adapter moves what it
 * generates (single reply and every best-of-N row), a fresh one changes nothing, and trained on
 * downrated replies it makes their word rarer on prompts it never saw.
 */
import path from 'node:path';
import { env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { DialogueModel } from '../../../workers/dialogue/dialogue-model';
import { trainOn } from '../../../workers/learning/adapter-trainer';
import { CONTEXT_FEATURE_DIM } from '../../../workers/learning/context-features';
import { ratingWeight } from '../../../workers/learning/cringe-loss';
import { createAdapter } from '../../../workers/learning/logit-adapter';
import type { RatedReply } from '../../../workers/shared/learning-protocol';
import type { SamplingSettings } from '../../../workers/shared/protocol';

env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('public/models')}/`;

// fp32: the q8 graph quantises activations per pass, so a longer input shifts earlier rows a little.
// Greedy, so every run is the same; the penalty moves the random-weight model off its first token.
const GREEDY: SamplingSettings = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 24, repetitionPenalty: 2 };
const TOPICS = ['weather', 'music', 'cats', 'the sea', 'coffee', 'trains', 'gardens', 'winter', 'books', 'cities', 'rivers', 'dinner'];
const PROMPTS = TOPICS.map((t) => `Tell me about ${t}.`);

let model: DialogueModel;
let calls = 0;

async function reply(prompt: string, sampling = GREEDY) {
  return model.generate({ conversationId: `c${++calls}`, systemPrompt: '', turns: [{ role: 'user', content: prompt }], sampling });
}

beforeAll(async () => {
  model = await DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'fp32', contextWindow: 2048, localOnly: true });
});

describe('the rated reply’s logits', () => {
  it('are the reply’s own tokens, each predicted from what came before it (causal), ending with the stop token when liked', async () => {
    const turns = [{ role: 'user' as const, content: PROMPTS[0]! }];
    const short = await model.ratedReplyLogits({ systemPrompt: '', turns, reply: 'The river is quiet today', includeStop: true });
    const long = await model.ratedReplyLogits({ systemPrompt: '', turns, reply: 'The river is quiet today and the sky is grey', includeStop: false });
    expect(short.vocabSize).toBe(32002);
    expect(short.features).toHaveLength(CONTEXT_FEATURE_DIM);
    const steps = short.logits.targets.length;
    expect(short.logits.targets[steps - 1]).toBe(32001); // <|im_end|> after a liked reply
    expect(Array.from(long.logits.targets.slice(0, steps - 1))).toEqual(Array.from(short.logits.targets.slice(0, steps - 1)));
    // A later token cannot change the logits that predicted an earlier one: the rows are aligned
    // to the tokens they predict, not shifted by one.
    const k = short.logits.k;
    expect(Array.from(long.logits.topIds.slice(0, (steps - 1) * k))).toEqual(Array.from(short.logits.topIds.slice(0, (steps - 1) * k)));
    for (let t = 0; t < steps - 1; t++) expect(long.logits.targetLogits[t]).toBeCloseTo(short.logits.targetLogits[t]!, 4);
    // The row for the stop token differs from the row for the next word only in what it predicts.
    expect(long.logits.targets[steps - 1]).not.toBe(32001);
    expect(long.logits.topLogits[(steps - 1) * k]).toBeCloseTo(short.logits.topLogits[(steps - 1) * k]!, 4);
  });

  it('learns no stop token after a liked reply that was cut at its token limit or stopped early, only after one that ended', async () => {
    const turns = [{ role: 'user' as const, content: PROMPTS[0]! }];
    const reply = 'The river is quiet today';
    const ended = await model.ratedReplyLogits({ systemPrompt: '', turns, reply, includeStop: true, cutAtTokens: 256 });
    const tokens = ended.logits.targets.length - 1;
    expect(ended.logits.targets[tokens]).toBe(32001);
    for (const cutAtTokens of [tokens, tokens + 1, 0]) {
      const cut = await model.ratedReplyLogits({ systemPrompt: '', turns, reply, includeStop: true, cutAtTokens });
      expect(cut.logits.targets.length, `cut at ${cutAtTokens}`).toBe(tokens);
      expect(Array.from(cut.logits.targets)).not.toContain(32001);
    }
  });

  it('are in the units the reply was sampled in: divided by its temperature (greedy counts as 1)', async () => {
    const turns = [{ role: 'user' as const, content: PROMPTS[1]! }];
    const reply = 'The river is quiet today';
    const plain = await model.ratedReplyLogits({ systemPrompt: '', turns, reply, includeStop: false, temperature: 0 });
    const tempered = await model.ratedReplyLogits({ systemPrompt: '', turns, reply, includeStop: false, temperature: 0.5 });
    expect(Array.from(tempered.logits.topIds)).toEqual(Array.from(plain.logits.topIds));
    plain.logits.targetLogits.forEach((v, t) => expect(tempered.logits.targetLogits[t]).toBeCloseTo(v * 2, 3));
    expect(tempered.logits.topLogits[0]).toBeCloseTo(plain.logits.topLogits[0]! * 2, 3);
  });

  it('refuses an empty reply with a clear message', async () => {
    await expect(model.ratedReplyLogits({ systemPrompt: '', turns: [{ role: 'user', content: 'Hi' }], reply: '', includeStop: false })).rejects.toThrow(/empty/);
  });
});

describe('an adapter in generation', () => {
  it('is not applied while it learned nothing: the reply is the same bit for bit', async () => {
    const plain = await reply(PROMPTS[1]!);
    expect(model.setAdapter(createAdapter('demo-chat-tiny', model.vocabSize, CONTEXT_FEATURE_DIM))).toBe(false);
    const again = await reply(PROMPTS[1]!);
    expect(again.text).toBe(plain.text);
    expect(again.metrics.adapter).toBeUndefined();
  });

  it('is not applied to another model’s logits', () => {
    const other = { ...createAdapter('another-model', model.vocabSize, CONTEXT_FEATURE_DIM), exampleCount: 3 };
    expect(model.setAdapter(other)).toBe(false);
  });

  it('moves every row of a best-of-N batch and the single reply, and reports by how much', async () => {
    const adapter = { ...createAdapter('demo-chat-tiny', model.vocabSize, CONTEXT_FEATURE_DIM), exampleCount: 5 };
    const favourite = 1000;
    adapter.bias[favourite] = 25;
    expect(model.setAdapter(adapter)).toBe(true);
    try {
      const single = await reply(PROMPTS[2]!);
      expect(single.metrics.adapter).toMatchObject({ ratings: 5 });
      expect(single.metrics.adapter!.meanProbWith).toBeGreaterThan(0.5);
      expect(single.metrics.adapter!.meanProbWithout).toBeLessThan(0.01);
      const batch = await model.generate({
        conversationId: `c${++calls}`, systemPrompt: '', turns: [{ role: 'user', content: PROMPTS[3]! }], candidates: 3,
        sampling: { temperature: 0.8, topP: 1, topK: 0, maxNewTokens: 8, repetitionPenalty: 1 },
      });
      expect(batch.adapterEffects).toHaveLength(3);
      for (const effect of batch.adapterEffects!) expect(effect.meanProbWith).toBeGreaterThan(effect.meanProbWithout * 10);
    } finally {
      model.setAdapter(null);
    }
  });
});

describe('learning from downrated replies (Cringe loss, real model, real trainer)', () => {
  it('makes the downrated word rarer on prompts it never trained on', async () => {
    const before = [];
    for (const prompt of PROMPTS) before.push((await reply(prompt)).text);
    // The word most replies share: the one a user tired of it would downrate.
    const counts = new Map<string, number>();
    for (const text of before) for (const word of new Set(text.split(/\s+/).filter(Boolean))) counts.set(word, (counts.get(word) ?? 0) + 1);
    const [word] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const train = PROMPTS.slice(0, 8);
    const has = (texts: string[]) => texts.filter((t) => t.split(/\s+/).includes(word)).length;
    expect(has(before.slice(0, 8))).toBeGreaterThanOrEqual(2);

    const examples: RatedReply[] = [];
    for (const [i, prompt] of train.entries()) {
      const positive = !before[i]!.split(/\s+/).includes(word);
      const { logits, features } = await model.ratedReplyLogits({ systemPrompt: '', turns: [{ role: 'user', content: prompt }], reply: before[i]!, includeStop: positive });
      examples.push({ id: `m${i}`, positive, weight: ratingWeight(positive, positive ? [] : ['repetitive']), features, logits });
    }
    const { state } = trainOn(createAdapter('demo-chat-tiny', model.vocabSize, CONTEXT_FEATURE_DIM), examples);
    expect(model.setAdapter(state)).toBe(true);
    try {
      const after = [];
      for (const prompt of PROMPTS) after.push((await reply(prompt)).text);
      expect(has(after.slice(0, 8))).toBeLessThan(has(before.slice(0, 8)));
      expect(has(after.slice(8))).toBeLessThanOrEqual(has(before.slice(8)));
      expect(has(after)).toBeLessThanOrEqual(Math.floor(has(before) / 2));
    } finally {
      model.setAdapter(null);
    }
  });
});
