import path from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, PreTrainedModel, type Tensor } from '@huggingface/transformers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import { commonPrefixLength, reusableLength } from '../../workers/dialogue/kv-reuse';

// Runs the real dialogue code on onnxruntime-node over the built demo model (`npm run models`).
env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('public/models')}/`;

const greedy: SamplingSettings = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 6, repetitionPenalty: 1 };

let model: DialogueModel;
let cold: DialogueModel;
let encode: (text: string) => number[];
beforeAll(async () => {
  const load = () => DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'fp32', contextWindow: 2048, localOnly: true });
  [model, cold] = await Promise.all([load(), load()]);
  const tokenizer = await AutoTokenizer.from_pretrained('demo-chat-tiny', { local_files_only: true });
  encode = (text) => tokenizer.encode(text, { add_special_tokens: false });
});

/** The same request on a model with no cache: what reuse must reproduce. */
async function coldReply(turns: ChatTurn[], systemPrompt = '') {
  await cold.resetCache();
  return cold.generate({ conversationId: 'cold', systemPrompt, turns, sampling: greedy });
}

/**
 * Records the last position's logits of every forward pass. The untrained demo model's greedy
 * ids barely depend on the context, so equal replies alone would not show a wrong cache; the
 * logits of every step do.
 */
function watchLogits() {
  const original = PreTrainedModel.prototype.forward;
  const steps: Float32Array[] = [];
  vi.spyOn(PreTrainedModel.prototype, 'forward').mockImplementation(async function (this: PreTrainedModel, inputs: unknown) {
    const out = (await original.call(this, inputs as Parameters<typeof original>[0])) as { logits: Tensor };
    const [, seq, vocab] = out.logits.dims as [number, number, number];
    steps.push((out.logits.data as Float32Array).slice((seq - 1) * vocab, seq * vocab));
    return out;
  });
  return steps;
}

/** Runs `reused` then `plain` (a cold reply), and checks both saw the same logits at every step. */
async function expectSameSteps<T extends { text: string }>(reused: () => Promise<T>, plain: () => Promise<T>): Promise<T> {
  const withCache = watchLogits();
  const a = await reused();
  vi.restoreAllMocks();
  const without = watchLogits();
  const b = await plain();
  vi.restoreAllMocks();
  expect(a.text).toBe(b.text);
  expect(withCache.length).toBe(without.length);
  withCache.forEach((step, i) => {
    const worst = step.reduce((max, v, j) => Math.max(max, Math.abs(v - without[i]![j]!)), 0);
    expect(worst).toBeLessThan(1e-4);
  });
  return a;
}

let coldModel: PreTrainedModel | undefined;

/**
 * Runs `call` (a generate on the cached model) and checks that a model without any cache, given
 * the very ids the cached call fed, produces the same greedy sequence. With the next prompt built
 * from the model's own ids, that (not a cold model re-encoding the text) is what reuse must match.
 */
async function expectSameAsColdOnSameIds<T>(call: () => Promise<T>): Promise<T> {
  const generateCall = vi.spyOn(PreTrainedModel.prototype, 'generate');
  const result = await call();
  const inputs = generateCall.mock.calls[0]![0] as { input_ids: Tensor; attention_mask: Tensor };
  const output = (await generateCall.mock.results[0]!.value) as { sequences: Tensor };
  vi.restoreAllMocks();
  coldModel ??= await AutoModelForCausalLM.from_pretrained('demo-chat-tiny', { device: 'cpu', dtype: 'fp32', local_files_only: true });
  const uncached = (await coldModel.generate({
    input_ids: inputs.input_ids, attention_mask: inputs.attention_mask, do_sample: false, max_new_tokens: greedy.maxNewTokens,
  })) as Tensor;
  expect(uncached.tolist()).toEqual(output.sequences.tolist());
  return result;
}

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
    // Turn two is turn one's ids, its reply's ids and the template's glue: Look inside shows those decoded.
    expect(second.prompt).toContain('Be brief.');
    expect(second.prompt).toContain('How are you?');
  });

  it('keeps ids up to the first difference, bounded by the cache and short of the whole prompt', () => {
    const cached = { conversationId: 'c', tokenIds: [1, 2, 3, 4, 5] };
    expect(commonPrefixLength([1, 2, 3], [1, 2, 4])).toBe(2);
    expect(reusableLength(cached, 4, 'c', [1, 2, 3, 4, 5, 6, 7])).toBe(4);
    expect(reusableLength(cached, 4, 'c', [1, 2, 9, 4, 5, 6])).toBe(2);
    expect(reusableLength(cached, 4, 'c', [1, 2, 3])).toBe(2);
    expect(reusableLength(cached, 4, 'other', [1, 2, 3, 4, 5, 6])).toBe(0);
    expect(reusableLength(null, 0, 'c', [1, 2])).toBe(0);
    expect(reusableLength(cached, 4, 'c', [9, 2, 3])).toBe(0);
  });

  it('drops the cache for another conversation and crops it to the shared ids when an earlier turn is edited', async () => {
    await model.resetCache();
    const turns: ChatTurn[] = [{ role: 'user', content: 'Hello there' }];
    const first = await model.generate({ conversationId: 'a', systemPrompt: '', turns, sampling: greedy });

    const continued: ChatTurn[] = [...turns, { role: 'assistant', content: first.text }, { role: 'user', content: 'More' }];
    const other = await model.generate({ conversationId: 'b', systemPrompt: '', turns: continued, sampling: greedy });
    expect(other.metrics.prefillTokens).toBe(other.metrics.promptTokens);

    const edited: ChatTurn[] = [{ role: 'user', content: 'Hello THERE' }, ...continued.slice(1)];
    const afterEdit = await expectSameSteps(
      () => model.generate({ conversationId: 'b', systemPrompt: '', turns: edited, sampling: greedy }),
      () => coldReply(edited),
    );
    // The template's header and the ids before the edit stay; the rest is prefilled again.
    const shared = commonPrefixLength(encode(other.prompt), encode(afterEdit.prompt));
    expect(shared).toBeGreaterThan(0);
    expect(afterEdit.metrics.promptTokens - afterEdit.metrics.prefillTokens).toBe(shared);
  });

  it('gives the same greedy reply with a cropped cache as without one', async () => {
    await model.resetCache();
    const turns: ChatTurn[] = [{ role: 'user', content: 'Tell me about the sea and the boats on it' }];
    const first = await model.generate({ conversationId: 'crop', systemPrompt: 'Be kind.', turns, sampling: greedy });
    // The user edited the stored reply: the template renders other ids from the middle of the
    // reply on, which the old text match treated as a full miss.
    // (Edited, not just trimmed: a reply stored as generated, trimmed or not, continues from its ids.)
    const stored = `${first.text.trim()} (edited)`;
    const next: ChatTurn[] = [...turns, { role: 'assistant', content: stored }, { role: 'user', content: 'Go on' }];
    const reused = await expectSameSteps(
      () => model.generate({ conversationId: 'crop', systemPrompt: 'Be kind.', turns: next, sampling: greedy }),
      () => coldReply(next, 'Be kind.'),
    );
    const kept = reused.metrics.promptTokens - reused.metrics.prefillTokens;
    expect(kept).toBeGreaterThanOrEqual(first.metrics.promptTokens);
    // Less than the cache held (turn one's prompt and reply but its last id): it was cropped.
    expect(kept).toBeLessThan(first.metrics.promptTokens + first.metrics.newTokens - 1);
    const plain = await coldReply(next, 'Be kind.');
    expect(plain.metrics.prefillTokens).toBe(plain.metrics.promptTokens);
    expect(reused.text).toBe(plain.text);

    // And a third turn over the cropped-then-extended cache continues from the model's own ids.
    const third: ChatTurn[] = [...next, { role: 'assistant', content: reused.text }, { role: 'user', content: 'Thanks' }];
    const again = await expectSameAsColdOnSameIds(() => model.generate({ conversationId: 'crop', systemPrompt: 'Be kind.', turns: third, sampling: greedy }));
    expect(again.metrics.prefillTokens).toBeLessThan(again.metrics.promptTokens);
  });

  it('reuses the cache on turn two of a sampled conversation and greedy turn two matches a cold model on the same ids', async () => {
    await model.resetCache();
    const turns: ChatTurn[] = [{ role: 'user', content: 'Say something' }];
    const sampled = { ...greedy, temperature: 1, topK: 0, topP: 1, maxNewTokens: 12 };
    const first = await model.generate({ conversationId: 's2', systemPrompt: '', turns, sampling: sampled });
    const next: ChatTurn[] = [...turns, { role: 'assistant', content: first.text }, { role: 'user', content: 'And?' }];
    const second = await expectSameAsColdOnSameIds(() => model.generate({ conversationId: 's2', systemPrompt: '', turns: next, sampling: greedy }));
    expect(second.metrics.prefillTokens).toBeLessThan(second.metrics.promptTokens);
    expect(second.metrics.promptTokens - second.metrics.prefillTokens).toBeGreaterThanOrEqual(first.metrics.promptTokens);
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
