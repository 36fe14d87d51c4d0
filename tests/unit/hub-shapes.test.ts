import path from 'node:path';
import { AutoTokenizer, env, PreTrainedModel, type Tensor } from '@huggingface/transformers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';

// The fixture shaped like large Hub exports (`npm run models:fixtures`): weights in
// `model*.onnx_data` (config says use_external_data_format), a 151,936-token vocabulary with a
// `num_logits_to_keep` input, and two EOS ids. The real dialogue code on onnxruntime-node.
env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('.tmp/fixture-models')}/`;
const MODEL = 'fixture-chat-hub-shapes';
const VOCAB = 151_936;

const sampled: SamplingSettings = { temperature: 1, topP: 1, topK: 0, maxNewTokens: 8, repetitionPenalty: 1 };
type FixtureDtype = 'q8' | 'q4f16';
const load = (dtype: FixtureDtype, contextWindow = 4096) => DialogueModel.load({ modelId: MODEL, device: 'cpu', dtype, contextWindow, localOnly: true });

let encode: (text: string) => number[];
beforeAll(async () => {
  const tokenizer = await AutoTokenizer.from_pretrained(MODEL, { local_files_only: true });
  encode = (text) => tokenizer.encode(text, { add_special_tokens: false });
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** The most a turn may prefill: the template's glue and the new message, plus the reply's last id. */
const glueBound = (message: string) => encode(`<|im_end|>\n<|im_start|>user\n${message}<|im_end|>\n<|im_start|>assistant\n`).length + 1;

// q8 is what WASM runs; q4f16 (fp16 activations and an fp16 KV cache) is what WebGPU users download.
describe.each(['q8', 'q4f16'] as const)('a model shaped like the Hub exports, %s', (dtype) => {
  let model: DialogueModel;
  beforeAll(async () => {
    model = await load(dtype);
  });

  it('loads its weights from the external-data file and returns logits for the last position only', async () => {
    const original = PreTrainedModel.prototype.forward;
    const shapes: number[][] = [];
    vi.spyOn(PreTrainedModel.prototype, 'forward').mockImplementation(async function (this: PreTrainedModel, inputs: unknown) {
      const out = (await original.call(this, inputs as Parameters<typeof original>[0])) as { logits: Tensor };
      shapes.push([(inputs as { input_ids: Tensor }).input_ids.dims[1] ?? 0, ...out.logits.dims.slice(1)]);
      return out;
    });
    const reply = await model.generate({ conversationId: 'a', systemPrompt: 'Be brief.', turns: [{ role: 'user', content: 'Tell me about rivers and the sea' }], sampling: sampled });
    expect(reply.metrics.promptTokens).toBeGreaterThan(10);
    // The prefill fed the whole prompt, yet got one row of 151,936 logits back, not one per position.
    expect(shapes[0]).toEqual([reply.metrics.promptTokens, 1, VOCAB]);
  });

  it('prefills only the new message and the template glue on later turns, and samples best-of-3', async () => {
    await model.resetCache();
    const turns: ChatTurn[] = [];
    for (let turn = 0; turn < 4; turn++) {
      const message = `Question ${turn} about hills`;
      turns.push({ role: 'user', content: message });
      const reply = await model.generate({ conversationId: 'b', systemPrompt: 'Be brief.', turns, sampling: sampled, candidates: turn === 2 ? 3 : 1 });
      if (turn === 2) expect(reply.candidates).toHaveLength(3);
      if (turn > 0 && turn !== 3) expect(reply.metrics.prefillTokens).toBeLessThanOrEqual(glueBound(message));
      turns.push({ role: 'assistant', content: reply.text.trim() });
    }
  });

  it('keeps the cache across a trimmed window', async () => {
    const small = await load(dtype, 160);
    const turns: ChatTurn[] = [];
    const dropped: number[] = [];
    for (let turn = 0; turn < 10; turn++) {
      turns.push({ role: 'user', content: `Turn ${turn}: one more thing about the river` });
      const reply = await small.generate({ conversationId: 'c', systemPrompt: 'SYSTEM', turns, sampling: sampled });
      dropped.push(reply.metrics.droppedTurns);
      if (turn > 0 && dropped[turn] === dropped[turn - 1]) expect(reply.metrics.prefillTokens, `turn ${turn}`).toBeLessThanOrEqual(glueBound(turns.at(-1)!.content));
      turns.push({ role: 'assistant', content: reply.text.trim() });
    }
    expect(Math.max(...dropped)).toBeGreaterThan(0);
  });
});

describe('a byte-level BPE model with a Llama-3 template and two EOS ids', () => {
  const LLAMA3 = 'fixture-chat-llama3-bpe';
  let model: DialogueModel;
  let encodeLlama3: (text: string) => number[];
  beforeAll(async () => {
    model = await DialogueModel.load({ modelId: LLAMA3, device: 'cpu', dtype: 'q8', contextWindow: 4096, localOnly: true });
    const tokenizer = await AutoTokenizer.from_pretrained(LLAMA3, { local_files_only: true });
    encodeLlama3 = (text) => tokenizer.encode(text, { add_special_tokens: false });
  });

  it('round-trips accents, CJK, emoji and whitespace exactly', async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(LLAMA3, { local_files_only: true });
    const text = 'Crème brûlée 日本語 🙂\n\t end  ';
    expect(tokenizer.decode(encodeLlama3(text))).toBe(text);
  });

  const llama3Glue = (message: string) =>
    encodeLlama3(`<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n${message}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`).length + 1;

  it('builds each later prompt from ids through the Llama-3 headers, including after best-of-3', async () => {
    const turns: ChatTurn[] = [];
    for (let turn = 0; turn < 4; turn++) {
      const message = `Question ${turn}: où est la rivière? 🙂`;
      turns.push({ role: 'user', content: message });
      const reply = await model.generate({ conversationId: 'l3', systemPrompt: 'Be brief.', turns, sampling: sampled, candidates: turn === 1 ? 3 : 1 });
      if (turn === 1) expect(reply.candidates).toHaveLength(3);
      // After the best-of-3 turn the cache holds the prompt only (the rows were sampled from a copy).
      if (turn > 0 && turn !== 2) expect(reply.metrics.prefillTokens, `turn ${turn}`).toBeLessThanOrEqual(llama3Glue(message));
      expect(reply.prompt).toContain('<|start_header_id|>assistant<|end_header_id|>');
      turns.push({ role: 'assistant', content: reply.text.trim() });
    }
  });
});

describe.each(['q8', 'q4f16'] as const)('a GroupQueryAttention model (RoPE inside the node), %s', (dtype) => {
  const GQA = 'fixture-chat-gqa';
  let encodeGqa: (text: string) => number[];
  beforeAll(async () => {
    const tokenizer = await AutoTokenizer.from_pretrained(GQA, { local_files_only: true });
    encodeGqa = (text) => tokenizer.encode(text, { add_special_tokens: false });
  });
  const glue = (message: string) =>
    encodeGqa(`<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n${message}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`).length + 1;

  it('chats with its cache reused, samples best-of-3, and keeps the cache across a trimmed window', async () => {
    const model = await DialogueModel.load({ modelId: GQA, device: 'cpu', dtype, contextWindow: 200, localOnly: true, prefillChunk: 16 });
    const turns: ChatTurn[] = [];
    const dropped: number[] = [];
    for (let turn = 0; turn < 8; turn++) {
      const message = `Turn ${turn}: the river again`;
      turns.push({ role: 'user', content: message });
      const reply = await model.generate({ conversationId: 'g', systemPrompt: 'SYSTEM', turns, sampling: sampled, candidates: turn === 1 ? 3 : 1 });
      if (turn === 1) expect(reply.candidates).toHaveLength(3);
      expect(reply.metrics.dtype).toBe(dtype);
      dropped.push(reply.metrics.droppedTurns);
      // Turn 2 follows best-of-3, whose cache holds the prompt only; a trim turn re-prefills.
      if (turn > 0 && turn !== 2 && dropped[turn] === dropped[turn - 1]) expect(reply.metrics.prefillTokens, `turn ${turn}`).toBeLessThanOrEqual(glue(message));
      turns.push({ role: 'assistant', content: reply.text.trim() });
    }
    expect(Math.max(...dropped)).toBeGreaterThan(0);
  });
});
