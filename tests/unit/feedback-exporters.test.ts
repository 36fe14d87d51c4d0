import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { exportBb3x, exportDpo, exportKto, newPseudonymousUserId } from '../../src/feedback/exporters';
import { rate, setDetails } from '../../src/feedback/feedback-repository';
import { createConversation, saveMessage, softDeleteConversation } from '../../src/storage/conversations';
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
const system = { role: 'system', content: 'Be kind' };

describe('TRL KTO export', () => {
  it('writes one record per rated reply with the prompt of its own branch and the thumb as label', async () => {
    const { db } = await fixture();
    const records = await collect(exportKto(db));
    for (const r of records) expect(Object.keys(r as object).sort()).toEqual(['completion', 'label', 'prompt']);
    const sorted = [...records].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted).toEqual([
      { prompt: [system, user('Hi')], completion: [bot('Go away.')], label: false },
      { prompt: [system, user('Hi')], completion: [bot('Hello!')], label: true },
      // b2 is not on the thread shown: its prompt still follows its own branch.
      { prompt: [system, user('Hi'), bot('Hello!'), user('Weather?')], completion: [bot('Sunny.')], label: true },
      { prompt: [system, user('Hi'), bot('Go away.'), user('Why rude?')], completion: [bot('Sorry.')], label: false },
      { prompt: [user('Ping')], completion: [bot('Pong')], label: true },
    ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
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
    expect(records).toContainEqual({ prompt: [system, user('Hi')], chosen: [bot('Hi there!')], rejected: [bot('Go away.')] });
    expect(records).toContainEqual({ prompt: [system, user('Hi')], chosen: [bot('Hello!')], rejected: [bot('Go away.')] });
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
