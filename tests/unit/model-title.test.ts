/**
 * Issue 17 (5): "Let the model write titles". After the first reply a real model is asked for a
 * short title; its words are untrusted, it never runs during a reply, and a title the user chose wins.
 */
import { describe, expect, it } from 'vitest';
import type { DoneInfo, GenerateParams, RunningReply } from '../../src/inference/dialogue-client';
import { cleanModelTitle, ModelTitleWriter, shouldAskForTitle, TITLE_INSTRUCTION, type TitleSituation } from '../../src/chat/model-title';

const situation = (changes: Partial<TitleSituation> = {}): TitleSituation => ({
  enabled: true,
  modelReady: true,
  untrainedModel: false,
  chatIdle: true,
  conversationId: 'c1',
  systemPrompt: 'You are a helpful, friendly assistant.',
  title: 'Plan a trip to Lisbon in May',
  question: { content: 'Hi! I’d like to plan a trip to Lisbon in May.', parentId: null },
  reply: { content: 'Lisbon in May is lovely: mild, sunny …', status: 'complete' },
  ...changes,
});

function done(text: string, stoppedByUser = false): DoneInfo {
  return { type: 'done', id: 'r', text, candidates: [text], stoppedByUser, prompt: '', metrics: {} as DoneInfo['metrics'] };
}

/** A dialogue client that records what it was asked and answers when told to. */
function fakeClient() {
  const calls: GenerateParams[] = [];
  let finish: (result: DoneInfo | Error) => void = () => undefined;
  let stopped = false;
  const generate = (params: GenerateParams): RunningReply => {
    calls.push(params);
    const result = new Promise<DoneInfo>((resolve, reject) => {
      finish = (r) => (r instanceof Error ? reject(r) : resolve(r));
    });
    return {
      done: result,
      stop: () => {
        stopped = true;
        finish(done('Lisbon tr', true));
      },
    };
  };
  return { calls, generate, answer: (r: DoneInfo | Error) => finish(r), wasStopped: () => stopped };
}

describe('whether the model is asked for a title', () => {
  it('asks after a complete first reply of a real model, with the setting on', () => {
    expect(shouldAskForTitle(situation())).toBe(true);
  });

  it('does not ask when the setting is off, the model is the untrained demo or not ready, or the chat is busy', () => {
    expect(shouldAskForTitle(situation({ enabled: false }))).toBe(false);
    expect(shouldAskForTitle(situation({ untrainedModel: true }))).toBe(false);
    expect(shouldAskForTitle(situation({ modelReady: false }))).toBe(false);
    expect(shouldAskForTitle(situation({ chatIdle: false }))).toBe(false);
  });

  it('asks only about a first exchange that went well, and never over a title the user chose', () => {
    expect(shouldAskForTitle(situation({ question: { content: 'And in June?', parentId: 'reply-1' }, title: 'And in June?' }))).toBe(false);
    expect(shouldAskForTitle(situation({ reply: { content: 'Lisbon in', status: 'partial' } }))).toBe(false);
    expect(shouldAskForTitle(situation({ reply: { content: '', status: 'error' } }))).toBe(false);
    expect(shouldAskForTitle(situation({ reply: { content: 'Let us talk about something else.', status: 'complete', isSafetyControlledResponse: true } }))).toBe(false);
    expect(shouldAskForTitle(situation({ title: 'Holiday 2025' }))).toBe(false);
  });
});

describe('the model’s words as a title (untrusted text)', () => {
  it('keeps one plain line without quotes, markup or a "Title:" label', () => {
    expect(cleanModelTitle('"Lisbon Trip in May"')).toBe('Lisbon Trip in May');
    expect(cleanModelTitle('**Title:** “Planning a Lisbon Getaway”.\n\nI hope this helps!')).toBe('Planning a Lisbon Getaway');
    expect(cleanModelTitle('\n\n  # Lisbon <script>alert(1)</script> trip')).toBe('Lisbon alert(1) trip');
    expect(cleanModelTitle("Don't miss Lisbon")).toBe("Don't miss Lisbon");
  });

  it('caps a rambling answer at six words and 40 characters', () => {
    expect(cleanModelTitle('A very long title that goes on and on about everything')).toBe('A very long title that goes');
    const capped = cleanModelTitle('Supercalifragilisticexpialidocious extraordinarily incomprehensible')!;
    expect([...capped].length).toBeLessThanOrEqual(40);
    expect(capped.endsWith('…')).toBe(true);
  });

  it('gives nothing for an empty or wordless answer', () => {
    expect(cleanModelTitle('')).toBeNull();
    expect(cleanModelTitle('\n \n')).toBeNull();
    expect(cleanModelTitle('"" ...')).toBeNull();
    expect(cleanModelTitle('🙂🙂')).toBeNull();
  });
});

describe('writing a title through the dialogue client', () => {
  it('asks in the conversation itself with a short instruction, and saves the cleaned title', async () => {
    const client = fakeClient();
    const saved: string[] = [];
    const writer = new ModelTitleWriter(client.generate);
    const s = situation();
    const writing = writer.titleAfterReply(s, () => s.title, async (title) => void saved.push(title));
    expect(client.calls).toHaveLength(1);
    const call = client.calls[0]!;
    expect(call.conversationId).toBe('c1');
    expect(call.systemPrompt).toBe(s.systemPrompt);
    expect(call.turns.map((t) => t.content)).toEqual([s.question.content, s.reply.content, TITLE_INSTRUCTION]);
    expect(call.sampling.maxNewTokens).toBeLessThanOrEqual(32);
    client.answer(done('"Lisbon in May"\n'));
    await writing;
    expect(saved).toEqual(['Lisbon in May']);
  });

  it('does not call the model when it should not ask', async () => {
    const client = fakeClient();
    const writer = new ModelTitleWriter(client.generate);
    await writer.titleAfterReply(situation({ untrainedModel: true }), () => 'x', async () => undefined);
    await writer.titleAfterReply(situation({ enabled: false }), () => 'x', async () => undefined);
    expect(client.calls).toHaveLength(0);
  });

  it('stops when the chat needs the model, and keeps the rule title', async () => {
    const client = fakeClient();
    const saved: string[] = [];
    const writer = new ModelTitleWriter(client.generate);
    const s = situation();
    const writing = writer.titleAfterReply(s, () => s.title, async (title) => void saved.push(title));
    await writer.stop();
    await writing;
    expect(client.wasStopped()).toBe(true);
    expect(saved).toEqual([]);
  });

  it('keeps a name the user gave while the title was being written, and survives a failed request', async () => {
    const client = fakeClient();
    const saved: string[] = [];
    const writer = new ModelTitleWriter(client.generate);
    const s = situation();
    let current = s.title;
    const writing = writer.titleAfterReply(s, () => current, async (title) => void saved.push(title));
    current = 'My holiday';
    client.answer(done('Lisbon in May'));
    await writing;
    expect(saved).toEqual([]);

    const failing = writer.titleAfterReply(s, () => s.title, async (title) => void saved.push(title));
    client.answer(new Error('worker crashed'));
    await expect(failing).resolves.toBeUndefined();
    expect(saved).toEqual([]);
  });
});
