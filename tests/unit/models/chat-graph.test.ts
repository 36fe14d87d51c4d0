/** The built chat model computes what a causal LM with a KV cache must: checked with onnxruntime-node. */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHAT,
  buildTinyModels,
  cosine,
  emptyCache,
  forward,
  maxAbsDiff,
  openSession,
  type Session,
  type TempModels,
} from './helpers.ts';

const PROMPTS = [
  [1, 32000, 1404, 13, 22557, 28808, 32001, 13, 32000, 13892, 13],
  [1, 415, 2936, 9060, 285, 1142],
  [1, 28705, 29871, 30287, 31000, 17, 3],
];

let built: TempModels;
const sessions: Record<'fp32' | 'q8' | 'q4', Session> = {} as never;

beforeAll(async () => {
  built = buildTinyModels();
  const dir = join(built.root, 'demo-chat-tiny', 'onnx');
  sessions.fp32 = await openSession(join(dir, 'model.onnx'));
  sessions.q8 = await openSession(join(dir, 'model_quantized.onnx'));
  sessions.q4 = await openSession(join(dir, 'model_q4.onnx'));
});

afterAll(() => built?.cleanup());

describe('demo-chat-tiny graph', () => {
  it('declares the inputs and outputs transformers.js builds its cache from', () => {
    for (const session of Object.values(sessions)) {
      const meta = Object.fromEntries(session.inputMetadata.map((m) => [m.name, m]));
      expect(Object.keys(meta)).toEqual([
        'input_ids',
        'attention_mask',
        'position_ids',
        'past_key_values.0.key',
        'past_key_values.0.value',
        'past_key_values.1.key',
        'past_key_values.1.value',
      ]);
      const past = meta['past_key_values.0.key']!;
      expect(past.isTensor && past.shape).toEqual(['batch_size', CHAT.kvHeads, 'past_sequence_length', CHAT.headDim]);
      expect(session.outputNames).toEqual([
        'logits',
        'present.0.key',
        'present.0.value',
        'present.1.key',
        'present.1.value',
      ]);
    }
  });

  it.each(['fp32', 'q4'] as const)('%s: decoding with the KV cache equals a full forward pass', async (dtype) => {
    const session = sessions[dtype];
    const tokens = [...PROMPTS[0]!, 400, 401, 402, 403, 404];
    const promptLen = PROMPTS[0]!.length;
    const full = await forward(session, [tokens], [tokens.map(() => 1)], emptyCache(1));

    let step = await forward(session, [tokens.slice(0, promptLen)], [Array(promptLen).fill(1)], emptyCache(1));
    expect(maxAbsDiff(step.logits[0]!.at(-1)!, full.logits[0]![promptLen - 1]!)).toBeLessThan(1e-4);
    for (let t = promptLen; t < tokens.length; t++) {
      step = await forward(session, [[tokens[t]!]], [Array(t + 1).fill(1)], step.cache);
      expect(step.cache['past_key_values.0.key']!.dims).toEqual([1, CHAT.kvHeads, t + 1, CHAT.headDim]);
      expect(maxAbsDiff(step.logits[0]![0]!, full.logits[0]![t]!)).toBeLessThan(1e-4);
    }
  });

  it('a left-padded batch equals each prompt run alone, through cached decode steps', async () => {
    const session = sessions.fp32;
    const [a, b] = [PROMPTS[0]!, PROMPTS[1]!];
    const width = Math.max(a.length, b.length);
    const pad = (p: number[]) => [...Array(width - p.length).fill(0), ...p];
    const maskOf = (p: number[], extra: number) => [...Array(width - p.length).fill(0), ...Array(p.length + extra).fill(1)];
    const next = [[500], [600]];

    let batch = await forward(session, [pad(a), pad(b)], [maskOf(a, 0), maskOf(b, 0)], emptyCache(2));
    let alone = await Promise.all(
      [a, b].map((p) => forward(session, [p], [p.map(() => 1)], emptyCache(1))),
    );
    for (const [row, p] of [a, b].entries()) {
      expect(maxAbsDiff(batch.logits[row]!.at(-1)!, alone[row]!.logits[0]!.at(-1)!)).toBeLessThan(1e-4);
      // Every real (unpadded) position agrees, not just the last.
      for (let i = 0; i < p.length; i++) {
        expect(maxAbsDiff(batch.logits[row]![width - p.length + i]!, alone[row]!.logits[0]![i]!)).toBeLessThan(1e-4);
      }
    }

    for (let s = 1; s <= 2; s++) {
      batch = await forward(
        session,
        next.map((n) => n.map((t) => t + s)),
        [maskOf(a, s), maskOf(b, s)],
        batch.cache,
      );
      alone = await Promise.all(
        [a, b].map((p, row) =>
          forward(session, [[next[row]![0]! + s]], [Array(p.length + s).fill(1)], alone[row]!.cache),
        ),
      );
      for (const row of [0, 1]) {
        expect(maxAbsDiff(batch.logits[row]![0]!, alone[row]!.logits[0]![0]!)).toBeLessThan(1e-4);
      }
    }
  });

  it.each(['q8', 'q4'] as const)('%s logits agree with fp32 (cosine > 0.99)', async (dtype) => {
    for (const prompt of PROMPTS) {
      const mask = [prompt.map(() => 1)];
      const ref = await forward(sessions.fp32, [prompt], mask, emptyCache(1));
      const quant = await forward(sessions[dtype], [prompt], mask, emptyCache(1));
      for (let i = 0; i < prompt.length; i++) {
        expect(cosine(quant.logits[0]![i]!, ref.logits[0]![i]!)).toBeGreaterThan(0.99);
      }
    }
  });

  it('has logits that depend on the input (not a constant model)', async () => {
    const x = await forward(sessions.fp32, [[1, 100]], [[1, 1]], emptyCache(1));
    const y = await forward(sessions.fp32, [[1, 200]], [[1, 1]], emptyCache(1));
    expect(maxAbsDiff(x.logits[0]![1]!, y.logits[0]![1]!)).toBeGreaterThan(1e-3);
    expect(cosine(x.logits[0]![1]!, y.logits[0]![1]!)).toBeLessThan(0.999);
  });
});
