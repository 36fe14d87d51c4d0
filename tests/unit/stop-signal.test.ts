import path from 'node:path';
import { env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { DialogueModel } from '../../workers/dialogue/dialogue-model';

env.allowRemoteModels = false;
env.localModelPath = `${path.resolve('public/models')}/`;

const sampling = { temperature: 0.8, topP: 0.95, topK: 50, maxNewTokens: 200, repetitionPenalty: 1 };
let model: DialogueModel;
beforeAll(async () => {
  model = await DialogueModel.load({ modelId: 'demo-chat-tiny', device: 'cpu', dtype: 'q8', contextWindow: 2048, localOnly: true });
});

describe('stopping a reply', () => {
  it('stops at the next token once the shared stop flag is set, keeping the partial text', async () => {
    const stopFlag = new Int32Array(new SharedArrayBuffer(4));
    let streamed = '';
    const reply = await model.generate({
      conversationId: 'stop', systemPrompt: '', turns: [{ role: 'user', content: 'Talk' }], sampling, stopFlag,
      onText: (text) => {
        streamed += text;
        Atomics.store(stopFlag, 0, 1);
      },
    });
    expect(reply.stoppedByUser).toBe(true);
    expect(reply.metrics.newTokens).toBeLessThan(20);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.text.startsWith(streamed.trim().slice(0, 1))).toBe(true);
  });

  it('runs to max tokens (or end of turn) when nobody stops it, and a new reply is not pre-stopped', async () => {
    const stopFlag = new Int32Array(new SharedArrayBuffer(4));
    const reply = await model.generate({
      conversationId: 'run', systemPrompt: '', turns: [{ role: 'user', content: 'Talk' }],
      sampling: { ...sampling, maxNewTokens: 30 }, stopFlag,
    });
    expect(reply.stoppedByUser).toBe(false);
    expect(reply.metrics.newTokens).toBeGreaterThan(1);
  });
});
