import path from 'node:path';
import { AutoTokenizer, env, type PreTrainedTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';
import { continuationIds, type LastExchange, type TemplateTools } from '../../workers/dialogue/turn-continuation';
import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';

// The real dialogue code on onnxruntime-node over the built demo model (`npm run models`).
env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('public/models')}/`;

const sampled: SamplingSettings = { temperature: 1, topP: 1, topK: 0, maxNewTokens: 10, repetitionPenalty: 1 };
const STOP_ID = 32001; // <|im_end|>, the demo model's EOS

let tokenizer: PreTrainedTokenizer;
let tools: TemplateTools;
const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false });

beforeAll(async () => {
  tokenizer = await AutoTokenizer.from_pretrained('demo-chat-tiny', { local_files_only: true });
  tools = {
    render: (turns) => tokenizer.apply_chat_template(turns, { tokenize: false, add_generation_prompt: true }) as string,
    encode,
    stopIds: new Set([STOP_ID]),
  };
});

/** The most a turn may prefill: the template's glue and the new message, plus the reply's last id (never fed back). */
function glueBound(message: string): number {
  return encode(`<|im_end|>\n<|im_start|>user\n${message}<|im_end|>\n<|im_start|>assistant\n`).length + 1;
}

describe('the next prompt from the ids the model saw and produced', () => {
  const system: ChatTurn = { role: 'system', content: 'Be brief.' };
  const question: ChatTurn = { role: 'user', content: 'Where do rivers start?' };

  function lastExchange(replyIds: number[], replyText: string): LastExchange {
    const promptTurns = [system, question];
    return { conversationId: 'c', promptTurns, promptIds: encode(tools.render(promptTurns)), replies: [{ ids: replyIds, text: replyText }] };
  }

  it('equals the full template render when the reply re-encodes to its own ids', () => {
    const reply = 'In the hills, mostly.';
    const turns: ChatTurn[] = [system, question, { role: 'assistant', content: reply }, { role: 'user', content: 'And then?' }];
    // The ids the reply has in context (a SentencePiece tokenizer starts a text with "▁").
    const promptIds = encode(tools.render([system, question]));
    const inContext = encode(`${tools.render([system, question])}${reply}`);
    expect(inContext.slice(0, promptIds.length)).toEqual(promptIds);
    const ids = continuationIds(lastExchange([...inContext.slice(promptIds.length), STOP_ID], reply), 'c', turns, tools);
    expect(ids).toEqual(encode(tools.render(turns)));
  });

  it('keeps the ids the model produced when they differ from the text encoded again', () => {
    // Spelled out byte by byte: the same text, ids no encoder would choose.
    const reply = 'Hi';
    const odd = ['<0x48>', '<0x69>'].map((piece) => tokenizer.get_vocab().get(piece)!);
    expect(odd).not.toEqual(encode(reply));
    const turns: ChatTurn[] = [system, question, { role: 'assistant', content: reply }, { role: 'user', content: 'Ok' }];
    const ids = continuationIds(lastExchange(odd, reply), 'c', turns, tools)!;
    const last = lastExchange(odd, reply);
    expect(ids.slice(0, last.promptIds.length + odd.length)).toEqual([...last.promptIds, ...odd]);
    expect(ids.length - last.promptIds.length - odd.length).toBeLessThanOrEqual(glueBound('Ok'));
  });

  it('gives up (null) when the history is not the last prompt plus one of its replies and a new question', () => {
    const reply = 'Hills.';
    const last = lastExchange(encode(reply), reply);
    const next = (turns: ChatTurn[], conversationId = 'c') => continuationIds(last, conversationId, turns, tools);
    const answer: ChatTurn = { role: 'assistant', content: reply };
    const follow: ChatTurn = { role: 'user', content: 'More?' };
    expect(next([system, question, answer, follow], 'other')).toBeNull();
    expect(next([system, { role: 'user', content: 'Edited question' }, answer, follow])).toBeNull();
    expect(next([system, question, { role: 'assistant', content: 'A reply the safety gate wrote instead' }, follow])).toBeNull();
    expect(next([question, answer, follow])).toBeNull();
    expect(next([system, question, answer, follow, answer, follow])).toBeNull();
    expect(next([system, question, answer, follow])).not.toBeNull();
    // A template that renders earlier turns differently once there are more (it stamps a counter).
    let calls = 0;
    const shifting: TemplateTools = { ...tools, render: (turns) => `${(calls++).toString()}${tools.render(turns)}` };
    expect(continuationIds(last, 'c', [system, question, answer, follow], shifting)).toBeNull();
  });
});

describe('a conversation on the demo model', () => {
  let model: DialogueModel;
  beforeAll(async () => {
    model = await DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'fp32', contextWindow: 2048, localOnly: true });
  });

  it('prefills only the new message and the template glue on every turn after the first', async () => {
    await model.resetCache();
    const turns: ChatTurn[] = [];
    const prefilled: Array<{ prefill: number; bound: number }> = [];
    for (let turn = 0; turn < 6; turn++) {
      const message = `Question number ${turn} about rivers and hills`;
      turns.push({ role: 'user', content: message });
      const reply = await model.generate({ conversationId: 'rivers', systemPrompt: 'Be brief.', turns, sampling: sampled });
      if (turn > 0) prefilled.push({ prefill: reply.metrics.prefillTokens, bound: glueBound(message) });
      // The app stores what it showed: the text, trimmed.
      turns.push({ role: 'assistant', content: reply.text.trim() });
    }
    for (const { prefill, bound } of prefilled) expect(prefill).toBeLessThanOrEqual(bound);
  });

  it('drops old turns in one large step when the window is outgrown, so later turns extend the cache again', async () => {
    const small = await DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'fp32', contextWindow: 200, localOnly: true });
    const turns: ChatTurn[] = [];
    const rows: Array<{ dropped: number; prompt: number; prefill: number; bound: number }> = [];
    for (let turn = 0; turn < 16; turn++) {
      const message = `Turn ${turn}: tell me one more thing about the river`;
      turns.push({ role: 'user', content: message });
      const reply = await small.generate({ conversationId: 'long', systemPrompt: 'SYSTEM RULES', turns, sampling: sampled });
      rows.push({ dropped: reply.metrics.droppedTurns, prompt: reply.metrics.promptTokens, prefill: reply.metrics.prefillTokens, bound: glueBound(message) });
      expect(reply.prompt).toContain('SYSTEM RULES');
      turns.push({ role: 'assistant', content: reply.text.trim() });
    }
    const trims = rows.filter((row, i) => i > 0 && row.dropped !== rows[i - 1]!.dropped);
    expect(trims.length).toBeGreaterThan(0);
    // One step to about half the budget (192 tokens), so the window is trimmed rarely...
    for (const trim of trims) expect(trim.prompt).toBeLessThanOrEqual(96 + glueBound('x'));
    expect(trims.length).toBeLessThanOrEqual(rows.length / 3);
    // ...and every other turn after the first extends the cache.
    rows.forEach((row, i) => {
      if (i > 0 && !trims.includes(row)) expect(row.prefill, `turn ${i}`).toBeLessThanOrEqual(row.bound);
    });
    expect(rows.map((row) => row.dropped)).toEqual([...rows.map((row) => row.dropped)].sort((a, b) => a - b));
  });
});

describe('a conversation at the edge of the window', () => {
  it('never gives the model a prompt longer than the window minus the reply, even when a kept reply has more ids than its text re-encoded', async () => {
    // The GQA fixture (320 positions, byte-level BPE) failed in CI with "cos_cache dimension 0
    // shall not be less than total_sequence_length": the window was fitted by counting the turns
    // re-encoded, but the prompt reused the ids the model produced, and a random model's byte-level
    // replies can take many more ids than their text re-encoded.
    const window = 320;
    env.localModelPath = `${path.resolve('.tmp/fixture-models')}/`;
    let gqa: DialogueModel;
    let fixtureTokenizer: PreTrainedTokenizer;
    try {
      gqa = await DialogueModel.load({ modelId: 'fixture-chat-gqa', device: 'cpu', dtype: 'fp32', contextWindow: window, localOnly: true });
      fixtureTokenizer = await AutoTokenizer.from_pretrained('fixture-chat-gqa', { local_files_only: true });
    } finally {
      env.localModelPath = `${path.resolve('public/models')}/`;
    }
    const long: SamplingSettings = { ...sampled, maxNewTokens: 40 };
    const turns: ChatTurn[] = [];
    const over: string[] = [];
    let longer = 0;
    for (let turn = 0; turn < 30; turn++) {
      turns.push({ role: 'user', content: `Turn ${turn}: more about the river` });
      const reply = await gqa.generate({ conversationId: 'edge', systemPrompt: 'Be brief.', turns, sampling: long });
      if (reply.metrics.promptTokens > window - long.maxNewTokens) over.push(`turn ${turn}: ${reply.metrics.promptTokens} prompt tokens`);
      const text = reply.text.trim();
      if (fixtureTokenizer.encode(text, { add_special_tokens: false }).length < reply.metrics.newTokens - 1) longer++;
      turns.push({ role: 'assistant', content: text });
    }
    await gqa.dispose();
    // The case happened (replies whose ids outnumber their text re-encoded)...
    expect(longer).toBeGreaterThan(0);
    // ...and no prompt ran past the window (onnxruntime would have failed the turn).
    expect(over).toEqual([]);
  });
});

describe('warming up a freshly loaded model', () => {
  it('runs one step, keeps no cache, and changes no later reply', async () => {
    const load = () => DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'fp32', contextWindow: 2048, localOnly: true });
    const [warmed, plain] = await Promise.all([load(), load()]);
    await warmed.warmUp();
    const greedy: SamplingSettings = { ...sampled, temperature: 0, maxNewTokens: 6 };
    const turns: ChatTurn[] = [{ role: 'user', content: 'Hello there' }];
    const a = await warmed.generate({ conversationId: 'w', systemPrompt: '', turns, sampling: greedy });
    const b = await plain.generate({ conversationId: 'w', systemPrompt: '', turns, sampling: greedy });
    expect(a.metrics.prefillTokens).toBe(a.metrics.promptTokens);
    expect(a.text).toBe(b.text);
  });
});
