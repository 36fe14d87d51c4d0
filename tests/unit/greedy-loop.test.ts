/** The benchmarks' raw greedy loop decodes what the model really predicts (checked on the demo model). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { greedyGenerate, greedyTurn, seededPrompt, type OrtApi, type OrtSession } from '../../bench/runtime/greedy-loop';

const MODEL_DIR = join('public', 'models', 'demo-chat-tiny');
const config = JSON.parse(readFileSync(join(MODEL_DIR, 'config.json'), 'utf8')) as {
  num_hidden_layers: number;
  num_key_value_heads: number;
  head_dim: number;
  vocab_size: number;
};
const shape = { layers: config.num_hidden_layers, kvHeads: config.num_key_value_heads, headDim: config.head_dim };
const api = ort as unknown as OrtApi;

/** The next token from a full pass over `ids` with no cache at all. */
async function argmaxWithoutCache(session: ort.InferenceSession, ids: number[]): Promise<number> {
  const run = await greedyGenerate(api, session as unknown as OrtSession, shape, ids, 1);
  return run.tokens[0]!;
}

describe('greedy loop used by the benchmarks', () => {
  it('each token it decodes with the KV cache is the one a cache-free pass picks', async () => {
    const session = await ort.InferenceSession.create(join(MODEL_DIR, 'onnx', 'model_quantized.onnx'));
    const prompt = seededPrompt(12, config.vocab_size, 3);
    const run = await greedyGenerate(api, session as unknown as OrtSession, shape, prompt, 6);
    expect(run.tokens).toHaveLength(6);
    expect(run.promptTokens).toBe(12);
    for (let i = 0; i < run.tokens.length; i++) {
      expect(await argmaxWithoutCache(session, [...prompt, ...run.tokens.slice(0, i)])).toBe(run.tokens[i]);
    }
    expect(run.ttftMs).toBeGreaterThan(0);
    expect(run.decodeTokensPerSecond).toBeGreaterThan(0);
    await session.release();
  });

  it('a second turn on the kept cache decodes what a cache-free pass over the whole conversation picks', async () => {
    const session = await ort.InferenceSession.create(join(MODEL_DIR, 'onnx', 'model_quantized.onnx'));
    const first = seededPrompt(10, config.vocab_size, 4);
    const one = await greedyTurn(api, session as unknown as OrtSession, shape, first, 4);
    const turnOne = one.run;
    expect(one.state.length).toBe(10 + 3); // the fourth token chosen is not fed yet
    expect(one.state.lastToken).toBe(turnOne.tokens[3]);
    const second = seededPrompt(5, config.vocab_size, 9);
    const turnTwo = (await greedyTurn(api, session as unknown as OrtSession, shape, second, 3, one.state)).run;
    // Prefilled: turn 1's last token and the new text, nothing of turn 1 again.
    expect(turnTwo.promptTokens).toBe(1 + 5);
    const conversation = [...first, ...turnOne.tokens, ...second];
    for (let i = 0; i < turnTwo.tokens.length; i++) {
      expect(await argmaxWithoutCache(session, [...conversation, ...turnTwo.tokens.slice(0, i)])).toBe(turnTwo.tokens[i]);
    }
    await session.release();
  });

  it('a seeded prompt is the same every time, inside the vocabulary, away from special ids', () => {
    const a = seededPrompt(64, 1000, 5);
    expect(seededPrompt(64, 1000, 5)).toEqual(a);
    expect(seededPrompt(64, 1000, 6)).not.toEqual(a);
    expect(a.every((id) => id >= 100 && id < 1000 && Number.isInteger(id))).toBe(true);
  });
});
