import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { exportBb3x, exportDpo, exportKto, newPseudonymousUserId } from '../../src/feedback/exporters';
import { rate, setDetails } from '../../src/feedback/feedback-repository';
import { createConversation, restoreConversation, saveMessage, softDeleteConversation } from '../../src/storage/conversations';
import { openChatDb, type ChatDb } from '../../src/storage/db';
import type { StoredMessage } from '../../src/storage/schema';

let dbCount = 0;

function message(id: string, conversationId: string, parentId: string | null, createdAt: number, role: StoredMessage['role'], content: string): StoredMessage {
  return { id, conversationId, parentId, role, content, createdAt, updatedAt: createdAt, status: 'complete', modelId: 'demo-chat-tiny' };
}

/**
 * "Greeting" (system prompt "Be kind"):
 *   Hi ─┬─ Hello! (👍) ── Weather? ── Sunny. (👍)
 *       └─ Go away. (👎 rude, off-topic; better "Hi there!") ── Why rude? ── Sorry. (👎)   ← shown
 * "Plain" (no system prompt): Ping ── Pong (👍)
 * "Unrated": Q ── A
 * "Deleted" (soft-deleted, rated): Secret ── Shh (👎, better "Hush")
 */
async function fixture(): Promise<{ db: ChatDb; ids: Record<string, string> }> {
  const db = await openChatDb(`export-${++dbCount}`);
  const greeting = await createConversation(db, 'Greeting', 'Be kind');
  const plain = await createConversation(db, 'Plain');
  const unrated = await createConversation(db, 'Unrated');
  const deleted = await createConversation(db, 'Deleted');
  const g = greeting.id;
  const written = [
    message('u1', g, null, 1, 'user', 'Hi'),
    message('b1', g, 'u1', 2, 'assistant', 'Hello!'),
    message('u2', g, 'b1', 3, 'user', 'Weather?'),
    message('b2', g, 'u2', 4, 'assistant', 'Sunny.'),
    message('b1r', g, 'u1', 5, 'assistant', 'Go away.'),
    message('u2x', g, 'b1r', 6, 'user', 'Why rude?'),
    message('b2x', g, 'u2x', 7, 'assistant', 'Sorry.'),
    message('p1', plain.id, null, 8, 'user', 'Ping'),
    message('p2', plain.id, 'p1', 9, 'assistant', 'Pong'),
    message('n1', unrated.id, null, 10, 'user', 'Q'),
    message('n2', unrated.id, 'n1', 11, 'assistant', 'A'),
    message('d1', deleted.id, null, 12, 'user', 'Secret'),
    message('d2', deleted.id, 'd1', 13, 'assistant', 'Shh'),
  ];
  for (const m of written) await saveMessage(db, m, { asCurrentLeaf: true });
  const byId = new Map(written.map((m) => [m.id, m]));
  const rated = (id: string) => byId.get(id)!;
  await rate(db, rated('b1'), 'up');
  await rate(db, rated('b2'), 'up');
  await rate(db, rated('b1r'), 'down');
  await setDetails(db, 'b1r', { reasons: ['rude', 'off-topic'], comment: 'rude', betterResponse: 'Hi there!' });
  await rate(db, rated('b2x'), 'down');
  await rate(db, rated('p2'), 'up');
  await rate(db, rated('d2'), 'down');
  await setDetails(db, 'd2', { betterResponse: 'Hush' });
  await softDeleteConversation(db, deleted.id);
  return { db, ids: { greeting: g, plain: plain.id, unrated: unrated.id, deleted: deleted.id } };
}

/** Reads an export the way a slow consumer would: awaiting other work between lines. */
async function collect(lines: AsyncGenerator<string>): Promise<unknown[]> {
  const text: string[] = [];
  for await (const line of lines) {
    text.push(line);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const file = text.join('');
  if (file !== '') expect(file.endsWith('\n')).toBe(true);
  const split = file.split('\n').slice(0, -1);
  expect(split).toHaveLength(text.length);
  return split.map((l) => JSON.parse(l) as unknown);
}

const user = (content: string) => ({ role: 'user', content });
const bot = (content: string) => ({ role: 'assistant', content });

describe('TRL KTO export', () => {
  it('writes one record per rated reply with the prompt of its own branch and the thumb as label', async () => {
    const { db } = await fixture();
    const records = await collect(exportKto(db));
    for (const r of records) expect(Object.keys(r as object).sort()).toEqual(['completion', 'label', 'prompt']);
    const sorted = [...records].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted).toEqual([
      { prompt: [user('Hi')], completion: [bot('Go away.')], label: false },
      { prompt: [user('Hi')], completion: [bot('Hello!')], label: true },
      // b2 is not on the thread shown: its prompt still follows its own branch.
      { prompt: [user('Hi'), bot('Hello!'), user('Weather?')], completion: [bot('Sunny.')], label: true },
      { prompt: [user('Hi'), bot('Go away.'), user('Why rude?')], completion: [bot('Sorry.')], label: false },
      { prompt: [user('Ping')], completion: [bot('Pong')], label: true },
    ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  it('leaves the system prompt out of every prompt, as the donated copy must (no bundle carries one)', async () => {
    const { db } = await fixture();
    for (const file of [await text(exportKto(db)), await text(exportDpo(db)), await text(exportBb3x(db, 'p'))]) {
      expect(file).not.toContain('"system"');
      expect(file).not.toContain('Be kind');
    }
  });

  it('writes nothing for an empty database', async () => {
    const db = await openChatDb(`export-empty-${++dbCount}`);
    expect(await collect(exportKto(db))).toEqual([]);
    expect(await collect(exportDpo(db))).toEqual([]);
    expect(await collect(exportBb3x(db, 'someone'))).toEqual([]);
  });
});

describe('TRL DPO export', () => {
  it('pairs a disliked reply with the better reply and differently rated versions of a turn', async () => {
    const { db } = await fixture();
    const records = await collect(exportDpo(db));
    for (const r of records) expect(Object.keys(r as object).sort()).toEqual(['chosen', 'prompt', 'rejected']);
    expect(records).toHaveLength(2);
    expect(records).toContainEqual({ prompt: [user('Hi')], chosen: [bot('Hi there!')], rejected: [bot('Go away.')] });
    expect(records).toContainEqual({ prompt: [user('Hi')], chosen: [bot('Hello!')], rejected: [bot('Go away.')] });
  });

  it('makes no pair from versions rated the same or a dislike without a better reply', async () => {
    const db = await openChatDb(`export-same-${++dbCount}`);
    const c = await createConversation(db, 'Same');
    const q = message('q', c.id, null, 1, 'user', 'Q');
    const a = message('a', c.id, 'q', 2, 'assistant', 'A');
    const b = message('b', c.id, 'q', 3, 'assistant', 'B');
    for (const m of [q, a, b]) await saveMessage(db, m, { asCurrentLeaf: true });
    await rate(db, a, 'down');
    await rate(db, b, 'down');
    await setDetails(db, 'b', { betterResponse: '   ' });
    expect(await collect(exportDpo(db))).toEqual([]);
  });
});

describe('BB3x-shaped export', () => {
  it('writes the thread each conversation shows with BB3x field names and a caller-given pseudonym', async () => {
    const { db, ids } = await fixture();
    const userId = newPseudonymousUserId();
    expect(userId).not.toBe(newPseudonymousUserId());
    const records = (await collect(exportBb3x(db, userId))) as Array<{ conversation_id: string; user_id: string; message_history: unknown[] }>;
    expect(records.map((r) => r.conversation_id).sort()).toEqual([ids.greeting, ids.plain, ids.unrated].sort());
    for (const r of records) {
      expect(Object.keys(r).sort()).toEqual(['conversation_id', 'message_history', 'user_id']);
      expect(r.user_id).toBe(userId);
    }
    const turn = (text: string, sender: 'bot' | 'human', isLiked = false, isDisliked = false, dislike_type: string | null = null) => ({
      text, sender, isLiked, isDisliked, dislike_type, isSafetyControlledResponse: false, reward: null, safety: null,
    });
    const greeting = records.find((r) => r.conversation_id === ids.greeting)!;
    expect(greeting.message_history).toStrictEqual([
      turn('Hi', 'human'),
      turn('Go away.', 'bot', false, true, 'off_topic'),
      turn('Why rude?', 'human'),
      turn('Sorry.', 'bot', false, true, null),
    ]);
    expect(records.find((r) => r.conversation_id === ids.plain)!.message_history).toStrictEqual([turn('Ping', 'human'), turn('Pong', 'bot', true)]);
    expect(records.find((r) => r.conversation_id === ids.unrated)!.message_history).toStrictEqual([turn('Q', 'human'), turn('A', 'bot')]);
  });

  it('needs a user id', async () => {
    const { db } = await fixture();
    await expect(collect(exportBb3x(db, ''))).rejects.toThrow(/pseudonymous/);
  });
});

/** Writes messages (each as the thread's new end) and returns them by id. */
async function write(db: ChatDb, messages: StoredMessage[]): Promise<Map<string, StoredMessage>> {
  for (const m of messages) await saveMessage(db, m, { asCurrentLeaf: true });
  return new Map(messages.map((m) => [m.id, m]));
}

/** Each line of an export, as text: to look for strings that must not be there. */
async function text(lines: AsyncGenerator<string>): Promise<string> {
  let file = '';
  for await (const l of lines) file += l;
  return file;
}

describe('exports on a conversation with regenerations and an edited question', () => {
  /**
   * System prompt "Be kind":
   *   Hi ── Hello! ── Plan a trip? ─┬─ Go to Paris. (👎 repeating, better "Where to?")
   *                                 ├─ Go to Rome. (👍)
   *                                 └─ Go to Oslo. (👍)
   *                  └─ Plan a meal? (edited question) ── Soup. (👎 nonsensical)     ← shown
   */
  async function regenerations() {
    const db = await openChatDb(`export-regen-${++dbCount}`);
    const c = await createConversation(db, 'Regen', 'Be kind');
    const id = c.id;
    const byId = await write(db, [
      message('u1', id, null, 1, 'user', 'Hi'),
      message('b1', id, 'u1', 2, 'assistant', 'Hello!'),
      message('u2', id, 'b1', 3, 'user', 'Plan a trip?'),
      message('v1', id, 'u2', 4, 'assistant', 'Go to Paris.'),
      message('v2', id, 'u2', 5, 'assistant', 'Go to Rome.'),
      message('v3', id, 'u2', 6, 'assistant', 'Go to Oslo.'),
      message('u2e', id, 'b1', 7, 'user', 'Plan a meal?'),
      message('s1', id, 'u2e', 8, 'assistant', 'Soup.'),
    ]);
    const m = (key: string) => byId.get(key)!;
    // Rated out of order: the liked versions were rated before the disliked one.
    await rate(db, m('v3'), 'up', 10);
    await rate(db, m('v2'), 'up', 11);
    await rate(db, m('v1'), 'down', 12);
    await setDetails(db, 'v1', { reasons: ['repeating'], betterResponse: 'Where to?' }, 13);
    await rate(db, m('s1'), 'down', 14);
    await setDetails(db, 's1', { reasons: ['nonsensical'] }, 15);
    return { db, conversationId: id };
  }

  const tripPrompt = [user('Hi'), bot('Hello!'), user('Plan a trip?')];

  it('KTO: each reply gets the prompt of its own branch, never the edited question of the other', async () => {
    const { db } = await regenerations();
    const records = (await collect(exportKto(db))) as Array<{ prompt: unknown[]; completion: unknown[]; label: boolean }>;
    expect(records).toHaveLength(4);
    const byCompletion = new Map(records.map((r) => [JSON.stringify(r.completion), r]));
    for (const [reply, label] of [['Go to Paris.', false], ['Go to Rome.', true], ['Go to Oslo.', true]] as const) {
      expect(byCompletion.get(JSON.stringify([bot(reply)]))).toStrictEqual({ prompt: tripPrompt, completion: [bot(reply)], label });
    }
    expect(byCompletion.get(JSON.stringify([bot('Soup.')]))).toStrictEqual({
      prompt: [user('Hi'), bot('Hello!'), user('Plan a meal?')], completion: [bot('Soup.')], label: false,
    });
  });

  it('DPO: the better reply is chosen over the disliked one, and every liked version over every disliked one', async () => {
    const { db } = await regenerations();
    const records = await collect(exportDpo(db));
    for (const r of records) {
      const record = r as { chosen: Array<{ role: string }>; rejected: Array<{ role: string }> };
      expect(Object.keys(record).sort()).toEqual(['chosen', 'prompt', 'rejected']);
      expect(record.chosen).toHaveLength(1);
      expect(record.rejected).toHaveLength(1);
    }
    expect(records).toHaveLength(3);
    expect(records).toContainEqual({ prompt: tripPrompt, chosen: [bot('Where to?')], rejected: [bot('Go to Paris.')] });
    expect(records).toContainEqual({ prompt: tripPrompt, chosen: [bot('Go to Rome.')], rejected: [bot('Go to Paris.')] });
    expect(records).toContainEqual({ prompt: tripPrompt, chosen: [bot('Go to Oslo.')], rejected: [bot('Go to Paris.')] });
    // "Soup." is disliked with no better reply and no sibling: no pair; versions of different questions never pair.
    expect(JSON.stringify(records)).not.toContain('Soup.');
  });

  it('BB3x: only the thread shown, with the dislike type of the reason given', async () => {
    const { db, conversationId } = await regenerations();
    const [record] = (await collect(exportBb3x(db, 'pseudonym'))) as Array<{ conversation_id: string; message_history: Array<Record<string, unknown>> }>;
    expect(record!.conversation_id).toBe(conversationId);
    expect(record!.message_history.map((m) => [m.sender, m.text, m.isLiked, m.isDisliked, m.dislike_type])).toEqual([
      ['human', 'Hi', false, false, null],
      ['bot', 'Hello!', false, false, null],
      ['human', 'Plan a meal?', false, false, null],
      ['bot', 'Soup.', false, true, 'nonsensical'],
    ]);
  });
});

describe('what the exports leave out or keep', () => {
  it('a thumbs-up keeps its old "what it should have said" but makes no DPO pair from it', async () => {
    const db = await openChatDb(`export-flip-${++dbCount}`);
    const c = await createConversation(db, 'Flip');
    const byId = await write(db, [message('q', c.id, null, 1, 'user', 'Q'), message('a', c.id, 'q', 2, 'assistant', 'A')]);
    await rate(db, byId.get('a')!, 'down', 1);
    await setDetails(db, 'a', { betterResponse: 'Better A' }, 2);
    await rate(db, byId.get('a')!, 'up', 3);
    expect(await collect(exportDpo(db))).toEqual([]);
    expect(await collect(exportKto(db))).toEqual([{ prompt: [user('Q')], completion: [bot('A')], label: true }]);
  });

  it('a soft-deleted conversation is in no export until it is restored', async () => {
    const { db, ids } = await fixture();
    const deleted = ids.deleted!;
    for (const file of [await text(exportKto(db)), await text(exportDpo(db)), await text(exportBb3x(db, 'p'))]) {
      for (const secret of ['Secret', 'Shh', 'Hush', deleted]) expect(file).not.toContain(secret);
    }
    await restoreConversation(db, deleted);
    expect(await collect(exportKto(db))).toContainEqual({ prompt: [user('Secret')], completion: [bot('Shh')], label: false });
    expect(await collect(exportDpo(db))).toContainEqual({ prompt: [user('Secret')], chosen: [bot('Hush')], rejected: [bot('Shh')] });
    expect(await text(exportBb3x(db, 'p'))).toContain(deleted);
  });

  it('feedback whose reply is gone is skipped', async () => {
    const db = await openChatDb(`export-orphan-${++dbCount}`);
    const c = await createConversation(db, 'Orphan');
    const byId = await write(db, [message('q', c.id, null, 1, 'user', 'Q'), message('a', c.id, 'q', 2, 'assistant', 'A')]);
    const feedback = await rate(db, byId.get('a')!, 'down');
    // As a restored backup from an older build could leave it: a rating with no message.
    await db.put('feedback', { ...feedback, messageId: 'gone', betterResponse: 'B' });
    expect(await collect(exportKto(db))).toEqual([{ prompt: [user('Q')], completion: [bot('A')], label: false }]);
    expect(await collect(exportDpo(db))).toEqual([]);
  });

  it('a failed reply the model never saw is not part of a later prompt', async () => {
    // After a failed reply the next question follows it in the tree, but the app leaves failed
    // replies out of what it sends the model (ChatStore.reply), so the training prompt must too.
    const db = await openChatDb(`export-error-${++dbCount}`);
    const c = await createConversation(db, 'Failed');
    const failed: StoredMessage = { ...message('b1', c.id, 'u1', 2, 'assistant', 'Half a rep'), status: 'error', error: 'worker crashed' };
    const byId = await write(db, [
      message('u1', c.id, null, 1, 'user', 'Hi'),
      failed,
      message('u2', c.id, 'b1', 3, 'user', 'Hello?'),
      message('b2', c.id, 'u2', 4, 'assistant', 'Hi!'),
      message('b2r', c.id, 'u2', 5, 'assistant', 'Bye.'),
    ]);
    await rate(db, byId.get('b2')!, 'up');
    await rate(db, byId.get('b2r')!, 'down');
    const prompt = [user('Hi'), user('Hello?')];
    expect(await collect(exportKto(db))).toContainEqual({ prompt, completion: [bot('Hi!')], label: true });
    expect(await collect(exportDpo(db))).toEqual([{ prompt, chosen: [bot('Hi!')], rejected: [bot('Bye.')] }]);
  });

  it('a failed or empty reply is no turn: not in a prompt, not in the BB3x thread, not exported when rated', async () => {
    // The same rule the donation applies (donatableThread), so the donated copy exports the same.
    const db = await openChatDb(`export-gaps-${++dbCount}`);
    const c = await createConversation(db, 'Gaps');
    const byId = await write(db, [
      message('u1', c.id, null, 1, 'user', 'Hi'),
      { ...message('b1', c.id, 'u1', 2, 'assistant', 'Half a rep'), status: 'error', error: 'worker crashed' },
      message('u2', c.id, 'b1', 3, 'user', 'Hello?'),
      { ...message('b2', c.id, 'u2', 4, 'assistant', '  '), status: 'partial', stopReason: 'user' },
      message('u3', c.id, 'b2', 5, 'user', 'Still there?'),
      message('b3', c.id, 'u3', 6, 'assistant', 'Yes.'),
    ]);
    await rate(db, byId.get('b1')!, 'down');
    await rate(db, byId.get('b2')!, 'down');
    await setDetails(db, 'b2', { betterResponse: 'Hello!' });
    await rate(db, byId.get('b3')!, 'up');
    const prompt = [user('Hi'), user('Hello?'), user('Still there?')];
    expect(await collect(exportKto(db))).toEqual([{ prompt, completion: [bot('Yes.')], label: true }]);
    expect(await collect(exportDpo(db))).toEqual([]);
    const [record] = (await collect(exportBb3x(db, 'p'))) as Array<{ message_history: Array<{ text: string }> }>;
    expect(record!.message_history.map((m) => m.text)).toEqual(['Hi', 'Hello?', 'Still there?', 'Yes.']);
  });

  it('keeps text with newlines, quotes and non-Latin script intact, one record per line', async () => {
    const db = await openChatDb(`export-text-${++dbCount}`);
    const c = await createConversation(db, 'Text', 'Line one\nLine two');
    const question = 'Say "hi"\n\tin 日本語 🙂 \\ \u2028 please';
    const answer = '```\ncode\n```\r\nこんにちは';
    const byId = await write(db, [message('q', c.id, null, 1, 'user', question), message('a', c.id, 'q', 2, 'assistant', answer)]);
    await rate(db, byId.get('a')!, 'up');
    expect(await collect(exportKto(db))).toEqual([
      { prompt: [user(question)], completion: [bot(answer)], label: true },
    ]);
    const [record] = (await collect(exportBb3x(db, 'p'))) as Array<{ message_history: Array<{ text: string }> }>;
    expect(record!.message_history.map((m) => m.text)).toEqual([question, answer]);
  });
});

describe('BB3x-shaped fields', () => {
  it('every message carries exactly the BB3x fields, and each reason maps to its dislike type', async () => {
    const db = await openChatDb(`export-bb3x-${++dbCount}`);
    const c = await createConversation(db, 'Reasons');
    const reasons = ['off-topic', 'nonsensical', 'rude', 'spam', 'repeating', 'other'] as const;
    const written: StoredMessage[] = [];
    let parent: string | null = null;
    for (const [i, reason] of reasons.entries()) {
      written.push(message(`q${i}`, c.id, parent, 2 * i + 1, 'user', `Q${i}`), message(`a${i}`, c.id, `q${i}`, 2 * i + 2, 'assistant', reason));
      parent = `a${i}`;
    }
    written.push(message('q-up', c.id, parent, 100, 'user', 'Q'), message('a-up', c.id, 'q-up', 101, 'assistant', 'liked'));
    written.push(message('q-none', c.id, 'a-up', 102, 'user', 'Q'), message('a-none', c.id, 'q-none', 103, 'assistant', 'unrated'));
    const byId = await write(db, written);
    for (const [i, reason] of reasons.entries()) {
      await rate(db, byId.get(`a${i}`)!, 'down');
      await setDetails(db, `a${i}`, { reasons: [reason] });
    }
    await rate(db, byId.get('a-up')!, 'up');

    const [record] = (await collect(exportBb3x(db, 'p'))) as Array<{ message_history: Array<Record<string, unknown>> }>;
    const history = record!.message_history;
    expect(history).toHaveLength(written.length);
    for (const m of history) {
      expect(Object.keys(m).sort()).toEqual(
        ['dislike_type', 'isDisliked', 'isLiked', 'isSafetyControlledResponse', 'reward', 'safety', 'sender', 'text'],
      );
      expect(['bot', 'human']).toContain(m.sender);
      expect(m.isSafetyControlledResponse).toBe(false);
      expect(m.reward).toBeNull();
      expect(m.safety).toBeNull();
    }
    const bots = history.filter((m) => m.sender === 'bot');
    expect(bots.map((m) => [m.text, m.isLiked, m.isDisliked, m.dislike_type])).toEqual([
      ['off-topic', false, true, 'off_topic'],
      ['nonsensical', false, true, 'nonsensical'],
      ['rude', false, true, 'rude'],
      ['spam', false, true, 'spam'],
      ['repeating', false, true, 'repetitive'],
      ['other', false, true, 'other'],
      ['liked', true, false, null],
      ['unrated', false, false, null],
    ]);
    expect(history.filter((m) => m.sender === 'human').every((m) => m.isLiked === false && m.isDisliked === false && m.dislike_type === null)).toBe(true);
  });
});

describe('BB3x export with the reward and safety models (issue 5)', () => {
  it('carries the reward and safety verdicts, and marks a reply the safety filter replaced', async () => {
    const db = await openChatDb(`export-${++dbCount}`);
    const c = await createConversation(db, 'Scored');
    const scored: StoredMessage[] = [
      message('s1', c.id, null, 1, 'user', 'Tell me about music'),
      { ...message('s2', c.id, 's1', 2, 'assistant', 'Music is great.'), reward: { ok: 0.8, label: '__ok__', trainingCount: 12 }, safety: { unsafe: 0.1, label: 'unsafe', flagged: false } },
      message('s3', c.id, 's2', 3, 'user', 'kaboom'),
      {
        ...message('s4', c.id, 's3', 4, 'assistant', "Let's talk about something else."),
        isSafetyControlledResponse: true,
        safety: { unsafe: 0.99, label: 'unsafe', flagged: true },
      },
      { ...message('s5', c.id, 's4', 5, 'user', 'ok') },
      { ...message('s6', c.id, 's5', 6, 'assistant', 'Meh.'), reward: { ok: 0.25, label: '__not_ok__', trainingCount: 12 } },
    ];
    for (const m of scored) await saveMessage(db, m, { asCurrentLeaf: true });
    const [record] = await collect(exportBb3x(db, 'pseudonym'));
    const history = (record as { message_history: Array<Record<string, unknown>> }).message_history;
    expect(history[1]).toMatchObject({ isSafetyControlledResponse: false, reward: { label: '__ok__', probability: 0.8 } });
    expect(history[1]!.safety).toEqual({ label: '__safe__', probability: 0.9 });
    expect(history[3]).toMatchObject({ isSafetyControlledResponse: true, reward: null, safety: { label: '__unsafe__', probability: 0.99 } });
    expect(history[5]!.reward).toEqual({ label: '__not_ok__', probability: 0.75 });
    // Human turns carry no verdicts.
    expect(history[2]).toMatchObject({ sender: 'human', reward: null, safety: null, isSafetyControlledResponse: false });
  });
});
