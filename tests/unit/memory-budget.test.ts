import path from 'node:path';
import { env, PreTrainedModel, type Tensor } from '@huggingface/transformers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import { kvCacheBytesPerRow, rowsThatFit } from '../../workers/dialogue/memory-budget';
import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';

// The real dialogue code on onnxruntime-node over the built demo model (`npm run models`).
env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('public/models')}/`;

const greedy: SamplingSettings = { temperature: 0, topP: 1, topK: 0, maxNewTokens: 5, repetitionPenalty: 1 };
const load = (extra: { prefillChunk?: number; kvCacheBudgetBytes?: number } = {}) =>
  DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'fp32', contextWindow: 2048, localOnly: true, ...extra });

/** Every forward pass: how many positions it was fed, and its last position's logits. */
function watchForward() {
  const original = PreTrainedModel.prototype.forward;
  const passes: Array<{ fed: number; logits: Float32Array }> = [];
  vi.spyOn(PreTrainedModel.prototype, 'forward').mockImplementation(async function (this: PreTrainedModel, inputs: unknown) {
    const fed = (inputs as { input_ids: Tensor }).input_ids.dims[1] ?? 0;
    const out = (await original.call(this, inputs as Parameters<typeof original>[0])) as { logits: Tensor };
    const [, seq, vocab] = out.logits.dims as [number, number, number];
    passes.push({ fed, logits: (out.logits.data as Float32Array).slice((seq - 1) * vocab, seq * vocab) });
    return out;
  });
  return passes;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('memory figures', () => {
  it('sizes a row of KV cache from the model config', () => {
    // SmolLM2-135M: 30 layers, 3 KV heads of 64 dims (576 / 9 heads): 46,080 bytes per position in float32.
    const smol = { num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, hidden_size: 576 };
    expect(kvCacheBytesPerRow(smol, 1)).toBe(46_080);
    expect(kvCacheBytesPerRow({ ...smol, head_dim: 128 }, 10, 2)).toBe(30 * 2 * 3 * 128 * 10 * 2);
  });

  it('caps best-of-N rows by the budget, never below one', () => {
    expect(rowsThatFit(8, 100, 1_000)).toBe(8);
    expect(rowsThatFit(8, 300, 1_000)).toBe(3);
    expect(rowsThatFit(8, 5_000, 1_000)).toBe(1);
  });
});

describe('a long prompt on the demo model', () => {
  let chunked: DialogueModel;
  let whole: DialogueModel;
  beforeAll(async () => {
    [chunked, whole] = await Promise.all([load({ prefillChunk: 64 }), load({ prefillChunk: 100_000 })]);
  });

  it('is prefilled in chunks, and replies exactly as with one pass', async () => {
    const turns: ChatTurn[] = [{ role: 'user', content: Array.from({ length: 60 }, (_, i) => `river ${i} runs to the sea`).join(', ') }];
    const inChunks = watchForward();
    const a = await chunked.generate({ conversationId: 'long', systemPrompt: 'Be brief.', turns, sampling: greedy });
    vi.restoreAllMocks();
    const inOne = watchForward();
    const b = await whole.generate({ conversationId: 'long', systemPrompt: 'Be brief.', turns, sampling: greedy });
    vi.restoreAllMocks();

    expect(a.metrics.promptTokens).toBeGreaterThan(300);
    expect(Math.max(...inChunks.map((pass) => pass.fed))).toBeLessThanOrEqual(64);
    expect(inOne[0]!.fed).toBe(b.metrics.promptTokens);
    expect(a.metrics.prefillTokens).toBe(a.metrics.promptTokens);
    expect(a.text).toBe(b.text);
    // The decode steps (the last passes of each) saw the same logits.
    const steps = inOne.length;
    inChunks.slice(-steps).forEach((pass, i) => {
      const worst = pass.logits.reduce((max, v, j) => Math.max(max, Math.abs(v - inOne[i]!.logits[j]!)), 0);
      expect(worst).toBeLessThan(1e-4);
    });
  });
});

describe('best-of-N within the memory budget', () => {
  it('samples fewer rows than asked when they would not fit, and says how many were asked for', async () => {
    // A demo-model row holds 512 bytes per position (2 layers × K and V × 2 heads × 16 dims × 4
    // bytes): ~10 KB for this prompt and reply, so a 25 KB budget holds two rows.
    const tight = await load({ kvCacheBudgetBytes: 25_000 });
    const sampled: SamplingSettings = { ...greedy, temperature: 1, maxNewTokens: 8 };
    const reply = await tight.generate({ conversationId: 'n', systemPrompt: '', turns: [{ role: 'user', content: 'Hello there' }], sampling: sampled, candidates: 8 });
    expect(reply.metrics.candidateCount).toBe(2);
    expect(reply.metrics.candidatesRequested).toBe(8);
    expect(reply.candidates).toHaveLength(reply.metrics.candidateCount!);
    const roomy = await load();
    const all = await roomy.generate({ conversationId: 'n', systemPrompt: '', turns: [{ role: 'user', content: 'Hello there' }], sampling: sampled, candidates: 8 });
    expect(all.metrics.candidateCount).toBe(8);
    expect(all.metrics.candidatesRequested).toBeUndefined();
  });
});
