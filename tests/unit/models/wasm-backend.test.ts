/** The browser runtime (onnxruntime-web, wasm) runs every built file and agrees with onnxruntime-node. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT, buildTinyModels, maxAbsDiff, type TempModels } from './helpers.ts';

type Ort = typeof ortNode | typeof ortWeb;

let built: TempModels;

beforeAll(() => {
  built = buildTinyModels();
  ortWeb.env.wasm.numThreads = 1;
});

afterAll(() => built?.cleanup());

function ids(ort: Ort, values: number[]) {
  return new ort.Tensor('int64', BigInt64Array.from(values.map(BigInt)), [1, values.length]);
}

function chatFeeds(ort: Ort) {
  const tokens = [1, 32000, 500, 600, 13];
  const feeds: Record<string, ortNode.Tensor | ortWeb.Tensor> = {
    input_ids: ids(ort, tokens),
    attention_mask: ids(ort, tokens.map(() => 1)),
    position_ids: ids(ort, tokens.map((_, i) => i)),
  };
  for (let i = 0; i < CHAT.layers; i++) {
    for (const kind of ['key', 'value']) {
      feeds[`past_key_values.${i}.${kind}`] = new ort.Tensor('float32', new Float32Array(0), [1, CHAT.kvHeads, 0, CHAT.headDim]);
    }
  }
  return feeds;
}

function bertFeeds(ort: Ort) {
  const tokens = [1, 415, 2936, 31999, 28723];
  return {
    input_ids: ids(ort, tokens),
    attention_mask: ids(ort, tokens.map(() => 1)),
    token_type_ids: ids(ort, tokens.map(() => 0)),
  };
}

const CASES: [string, string, 'chat' | 'bert', string][] = [
  ['demo-chat-tiny', 'model.onnx', 'chat', 'logits'],
  ['demo-chat-tiny', 'model_quantized.onnx', 'chat', 'logits'],
  ['demo-chat-tiny', 'model_q4.onnx', 'chat', 'logits'],
  ['demo-encoder-tiny', 'model.onnx', 'bert', 'last_hidden_state'],
  ['demo-encoder-tiny', 'model_quantized.onnx', 'bert', 'last_hidden_state'],
  ['demo-safety-tiny', 'model.onnx', 'bert', 'logits'],
  ['demo-safety-tiny', 'model_quantized.onnx', 'bert', 'logits'],
];

describe('onnxruntime-web (wasm) vs onnxruntime-node', () => {
  it.each(CASES)('%s/%s', async (model, file, kind, output) => {
    const bytes = readFileSync(join(built.root, model, 'onnx', file));
    const web = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
    const node = await ortNode.InferenceSession.create(bytes);
    const feeds = kind === 'chat' ? chatFeeds : bertFeeds;
    const a = (await web.run(feeds(ortWeb) as Record<string, ortWeb.Tensor>))[output]!;
    const b = (await node.run(feeds(ortNode) as Record<string, ortNode.Tensor>))[output]!;
    expect(a.dims).toEqual(b.dims);
    expect(maxAbsDiff(a.data as Float32Array, b.data as Float32Array)).toBeLessThan(1e-4);
    await web.release();
    await node.release();
  });
});
