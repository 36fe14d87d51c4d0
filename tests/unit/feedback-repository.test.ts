import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import {
  countsByReason,
  deleteAllFeedback,
  deleteFeedback,
  getFeedback,
  listFeedback,
  rate,
  removeRating,
  setDetails,
} from '../../src/feedback/feedback-repository';
import type { DislikeReason } from '../../src/feedback/taxonomy';
import { exportBb3x, exportKto } from '../../src/feedback/exporters';
import {
  createConversation,
  deleteConversation,
  deleteMessages,
  getConversation,
  listConversations,
  listDeletedConversations,
  listMessages,
  saveMessage,
} from '../../src/storage/conversations';
import { openChatDb } from '../../src/storage/db';
import { linkV1MessagesIntoThreads } from '../../src/storage/migrate-v2';
import { DB_VERSION, type ChatDbSchema, type StoredMessage } from '../../src/storage/schema';
import { writeV1Database } from './support/old-databases';

let dbCount = 0;
const freshDb = () => openChatDb(`feedback-${++dbCount}`);

const sampling = { temperature: 0.7, topP: 0.9, topK: 40, maxNewTokens: 128, repetitionPenalty: 1.1 };

function message(id: string, conversationId: string, parentId: string | null, createdAt: number, role: StoredMessage['role'], content = id): StoredMessage {
  const base: StoredMessage = { id, conversationId, parentId, role, content, createdAt, updatedAt: createdAt, status: 'complete' };
  return role === 'assistant' ? { ...base, modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', sampling } : base;
}

/** A conversation with a question and two versions of the reply, written through the app's repository. */
async function seedTurn(db: Awaited<ReturnType<typeof freshDb>>, prefix: string) {
  const c = await createConversation(db, prefix);
  const q = message(`${prefix}-q`, c.id, null, 1, 'user');
  const a = message(`${prefix}-a`, c.id, q.id, 2, 'assistant');
  const b = message(`${prefix}-b`, c.id, q.id, 3, 'assistant');
  for (const m of [q, a, b]) await saveMessage(db, m, { asCurrentLeaf: true });
  return { c, q, a, b };
}

describe('feedback repository', () => {
  it('rates a reply and copies what produced it', async () => {
    const db = await freshDb();
    const { c, a } = await seedTurn(db, 'r');
    const written = await rate(db, a, 'down', 100);
    expect(written).toEqual({
      messageId: a.id, conversationId: c.id, rating: 'down', reasons: [], comment: '', betterResponse: '',
      createdAt: 100, updatedAt: 100, modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', sampling,
    });
    expect(await getFeedback(db, a.id)).toEqual(written);
  });

  it('refuses to rate a user message', async () => {
    const db = await freshDb();
    const { q } = await seedTurn(db, 'u');
    await expect(rate(db, q, 'up')).rejects.toThrow(/bot reply/);
    expect(await getFeedback(db, q.id)).toBeUndefined();
  });

  it('keeps one record per reply: re-rating keeps createdAt and text, a thumbs-up drops the reasons', async () => {
    const db = await freshDb();
    const { a } = await seedTurn(db, 'rr');
    await rate(db, a, 'down', 100);
    await setDetails(db, a.id, { reasons: ['rude', 'off-topic', 'rude'], comment: 'mean', betterResponse: 'Be nice' }, 110);
    expect((await getFeedback(db, a.id))?.reasons).toEqual(['off-topic', 'rude']);

    const up = await rate(db, a, 'up', 120);
    expect(up).toMatchObject({ rating: 'up', reasons: [], comment: 'mean', betterResponse: 'Be nice', createdAt: 100, updatedAt: 120 });
    expect(await db.count('feedback')).toBe(1);
  });

  it('sets details only on a rated reply, and reasons only with a thumbs-down', async () => {
    const db = await freshDb();
    const { a, b } = await seedTurn(db, 'd');
    expect(await setDetails(db, a.id, { comment: 'x' })).toBeUndefined();
    expect(await getFeedback(db, a.id)).toBeUndefined();

    await rate(db, a, 'up', 1);
    await expect(setDetails(db, a.id, { reasons: ['spam'] })).rejects.toThrow(/thumbs-down/);
    expect(await setDetails(db, a.id, { comment: 'great' }, 2)).toMatchObject({ comment: 'great', reasons: [], updatedAt: 2 });

    await rate(db, b, 'down', 3);
    await expect(setDetails(db, b.id, { reasons: ['bogus' as DislikeReason] })).rejects.toThrow(/Unknown dislike reason/);
    expect(await setDetails(db, b.id, { reasons: ['repeating'] }, 4)).toMatchObject({ reasons: ['repeating'], comment: '', betterResponse: '' });
  });

  it('removes a rating', async () => {
    const db = await freshDb();
    const { a, b } = await seedTurn(db, 'rm');
    await rate(db, a, 'up');
    await rate(db, b, 'down');
    await removeRating(db, a.id);
    expect(await getFeedback(db, a.id)).toBeUndefined();
    expect(await getFeedback(db, b.id)).toBeDefined();
  });

  it('lists by rating, reason and model, most recently changed first, and counts reasons', async () => {
    const db = await freshDb();
    const one = await seedTurn(db, 'l1');
    const two = await seedTurn(db, 'l2');
    await rate(db, one.a, 'up', 10);
    await rate(db, one.b, 'down', 20);
    await setDetails(db, one.b.id, { reasons: ['nonsensical', 'repeating'] }, 21);
    await rate(db, { ...two.a, modelId: 'other-model' }, 'down', 30);
    await setDetails(db, two.a.id, { reasons: ['nonsensical'] }, 31);
    await rate(db, two.b, 'up', 5);

    expect((await listFeedback(db)).map((f) => f.messageId)).toEqual([two.a.id, one.b.id, one.a.id, two.b.id]);
    expect((await listFeedback(db, { rating: 'up' })).map((f) => f.messageId)).toEqual([one.a.id, two.b.id]);
    expect((await listFeedback(db, { reason: 'nonsensical' })).map((f) => f.messageId)).toEqual([two.a.id, one.b.id]);
    expect((await listFeedback(db, { modelId: 'other-model' })).map((f) => f.messageId)).toEqual([two.a.id]);
    expect((await listFeedback(db, { rating: 'down', modelId: 'demo-chat-tiny' })).map((f) => f.messageId)).toEqual([one.b.id]);

    expect(await countsByReason(db)).toEqual({ 'off-topic': 0, nonsensical: 2, rude: 0, spam: 0, repeating: 1, other: 0 });
    expect(await countsByReason(db, { modelId: 'demo-chat-tiny' })).toMatchObject({ nonsensical: 1, repeating: 1 });
  });

  it('deletes some feedback, or all of it', async () => {
    const db = await freshDb();
    const { a, b } = await seedTurn(db, 'del');
    await rate(db, a, 'up');
    await rate(db, b, 'down');
    await deleteFeedback(db, [a.id]);
    expect((await listFeedback(db)).map((f) => f.messageId)).toEqual([b.id]);
    await deleteAllFeedback(db);
    expect(await db.count('feedback')).toBe(0);
    expect(await db.count('messages')).toBe(3);
  });

  it('deleting a conversation deletes its feedback and no one else’s', async () => {
    const db = await freshDb();
    const gone = await seedTurn(db, 'gone');
    const kept = await seedTurn(db, 'kept');
    for (const m of [gone.a, gone.b, kept.a]) await rate(db, m, 'down');
    await deleteConversation(db, gone.c.id);
    expect(await getFeedback(db, gone.a.id)).toBeUndefined();
    expect(await getFeedback(db, gone.b.id)).toBeUndefined();
    expect((await listFeedback(db)).map((f) => f.messageId)).toEqual([kept.a.id]);
  });

  it('deleting a branch deletes the feedback on its messages', async () => {
    const db = await freshDb();
    const { c, a, b } = await seedTurn(db, 'branch');
    await rate(db, a, 'up');
    await rate(db, b, 'down');
    await deleteMessages(db, c.id, [b.id], a.id);
    expect(await getFeedback(db, b.id)).toBeUndefined();
    expect(await getFeedback(db, a.id)).toBeDefined();
  });
});

describe('upgrade from a database written by v2', () => {
  it('keeps everything and adds the feedback store', async () => {
    const name = `v2-to-v3-${++dbCount}`;
    // Version 2 as the app wrote it: the v1 stores, upgraded by the app's own v2 step.
    const v2 = await openDB<ChatDbSchema>(name, 2, {
      upgrade(db, _oldVersion, _newVersion, transaction) {
        db.createObjectStore('conversations', { keyPath: 'id' }).createIndex('byUpdatedAt', 'updatedAt');
        db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byConversation', ['conversationId', 'createdAt']);
        db.createObjectStore('settings');
        void linkV1MessagesIntoThreads(transaction);
      },
    });
    const conversation = { id: 'chat', title: 'Weather', createdAt: 1, updatedAt: 3, systemPrompt: 'be brief', currentLeafId: 'b2' };
    const written = [
      message('u1', 'chat', null, 1, 'user', 'Weather?'),
      message('b1', 'chat', 'u1', 2, 'assistant', 'Rain'),
      message('b2', 'chat', 'u1', 3, 'assistant', 'Sun'),
    ];
    await v2.put('conversations', conversation);
    for (const m of written) await v2.put('messages', m);
    await v2.put('settings', { backend: 'wasm' }, 'app');
    v2.close();

    const db = await openChatDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(await getConversation(db, 'chat')).toEqual(conversation);
    expect(await listMessages(db, 'chat')).toEqual(written);
    expect(await db.get('settings', 'app')).toEqual({ backend: 'wasm' });
    expect(Array.from(db.objectStoreNames).sort()).toEqual(['adapterExamples', 'adapters', 'conversations', 'donations', 'feedback', 'messages', 'personalModel', 'settings']);
    const store = db.transaction('feedback').store;
    expect(store.keyPath).toBe('messageId');
    expect(Array.from(store.indexNames).sort()).toEqual(['byConversation', 'byUpdatedAt']);
    expect(await db.count('feedback')).toBe(0);

    await rate(db, written[2]!, 'up', 50);
    db.close();
    const again = await openChatDb(name);
    expect((await getFeedback(again, 'b2'))?.rating).toBe('up');
    expect(await again.count('messages')).toBe(3);
    again.close();
  });
});



async function lines(generator: AsyncGenerator<string>): Promise<unknown[]> {
  const found: unknown[] = [];
  for await (const line of generator) found.push(JSON.parse(line));
  return found;
}

describe('upgrade from a database written by v1', () => {
  it('goes straight to v3: every record kept, flat conversations become threads, the feedback store is added', async () => {
    const name = `v1-to-v3-${++dbCount}`;
    const v1Message = (id: string, conversationId: string, createdAt: number, role: 'user' | 'assistant', content: string, extra: object = {}) =>
      ({ id, conversationId, role, content, createdAt, updatedAt: createdAt, status: 'complete', ...extra });
    const provenance = { modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', sampling };
    const v1Conversations = [
      { id: 'chat', title: 'Weather', createdAt: 1, updatedAt: 40, systemPrompt: 'be brief' },
      { id: 'other', title: 'Other', createdAt: 2, updatedAt: 5, systemPrompt: '' },
      { id: 'empty', title: 'Empty', createdAt: 3, updatedAt: 3, systemPrompt: '' },
    ];
    const v1Messages = [
      // Written out of order: v1 ordered a conversation by createdAt.
      v1Message('b2', 'chat', 40, 'assistant', 'Sun', { ...provenance, status: 'partial', stopReason: 'interrupted', prompt: '<raw prompt>' }),
      v1Message('u1', 'chat', 10, 'user', 'Hi'),
      v1Message('u2', 'chat', 30, 'user', 'Weather?'),
      v1Message('o1', 'other', 5, 'user', 'Elsewhere'),
      v1Message('b1', 'chat', 20, 'assistant', 'Hello!', provenance),
      v1Message('o2', 'other', 6, 'assistant', 'Failed', { status: 'error', error: 'worker crashed' }),
    ];
    const v1Settings = { backend: 'wasm', sampling: { temperature: 0.3 }, systemPrompt: 'custom' };
    await writeV1Database(name, v1Conversations, v1Messages, v1Settings);

    const db = await openChatDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(Array.from(db.objectStoreNames).sort()).toEqual(['adapterExamples', 'adapters', 'conversations', 'donations', 'feedback', 'messages', 'personalModel', 'settings']);
    const store = db.transaction('feedback').store;
    expect(store.keyPath).toBe('messageId');
    expect(Array.from(store.indexNames).sort()).toEqual(['byConversation', 'byUpdatedAt']);
    expect(await db.count('feedback')).toBe(0);

    // Nothing lost: every v1 record is there, with only the v2 links added.
    const parentOf: Record<string, string | null> = { u1: null, b1: 'u1', u2: 'b1', b2: 'u2', o1: null, o2: 'o1' };
    const stored = await db.getAll('messages');
    expect(stored).toHaveLength(v1Messages.length);
    for (const m of v1Messages) expect(await db.get('messages', m.id)).toEqual({ ...m, parentId: parentOf[m.id] });
    const leafOf: Record<string, string | null> = { chat: 'b2', other: 'o2', empty: null };
    expect(await db.getAll('conversations')).toHaveLength(v1Conversations.length);
    for (const c of v1Conversations) expect(await getConversation(db, c.id)).toEqual({ ...c, currentLeafId: leafOf[c.id] });
    expect(await db.get('settings', 'app')).toEqual(v1Settings);
    expect((await listConversations(db)).map((c) => c.id)).toEqual(['chat', 'other', 'empty']);

    // The upgraded database works with feedback and exports, across a reopen.
    await rate(db, stored.find((m) => m.id === 'b2')!, 'down', 50);
    await setDetails(db, 'b2', { reasons: ['off-topic'], betterResponse: 'Rain later.' }, 51);
    db.close();
    const again = await openChatDb(name);
    expect(await again.count('messages')).toBe(v1Messages.length);
    expect(await lines(exportKto(again))).toEqual([{
      prompt: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'Weather?' }],
      completion: [{ role: 'assistant', content: 'Sun' }],
      label: false,
    }]);
    const bb3x = (await lines(exportBb3x(again, 'p'))) as Array<{ conversation_id: string; message_history: Array<{ text: string; dislike_type: string | null }> }>;
    expect(bb3x.find((r) => r.conversation_id === 'chat')!.message_history.map((m) => [m.text, m.dislike_type])).toEqual([
      ['Hi', null], ['Hello!', null], ['Weather?', null], ['Sun', 'off_topic'],
    ]);
    again.close();
  });
});

describe('upgrade from a database written by v2, with everything v2 could hold', () => {
  it('keeps branches, partial replies, the thread shown and soft-deleted conversations', async () => {
    const name = `v2-full-to-v3-${++dbCount}`;
    const v2 = await openDB<ChatDbSchema>(name, 2, {
      upgrade(db, _oldVersion, _newVersion, transaction) {
        db.createObjectStore('conversations', { keyPath: 'id' }).createIndex('byUpdatedAt', 'updatedAt');
        db.createObjectStore('messages', { keyPath: 'id' }).createIndex('byConversation', ['conversationId', 'createdAt']);
        db.createObjectStore('settings');
        void linkV1MessagesIntoThreads(transaction);
      },
    });
    const conversations = [
      // The older branch is shown: currentLeafId is not the newest message.
      { id: 'a', title: 'Branches', createdAt: 1, updatedAt: 9, systemPrompt: '', currentLeafId: 'a-b1' },
      { id: 'gone', title: 'Deleted', createdAt: 2, updatedAt: 4, systemPrompt: 'x', currentLeafId: 'g-b', deletedAt: 5 },
      { id: 'new', title: 'Not started', createdAt: 6, updatedAt: 6, systemPrompt: '', currentLeafId: null },
    ];
    const written: StoredMessage[] = [
      message('a-u', 'a', null, 1, 'user'),
      message('a-b1', 'a', 'a-u', 2, 'assistant'),
      { ...message('a-b2', 'a', 'a-u', 3, 'assistant'), status: 'partial', stopReason: 'user' },
      message('a-u2', 'a', 'a-b2', 4, 'user'),
      { ...message('a-b3', 'a', 'a-u2', 5, 'assistant'), status: 'error', error: 'out of memory' },
      message('g-u', 'gone', null, 3, 'user'),
      message('g-b', 'gone', 'g-u', 4, 'assistant'),
    ];
    for (const c of conversations) await v2.put('conversations', c);
    for (const m of written) await v2.put('messages', m);
    await v2.put('settings', { backend: 'webgpu', sampling, systemPrompt: '' }, 'app');
    v2.close();

    const db = await openChatDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(await db.getAll('conversations')).toEqual(conversations);
    expect(await db.getAll('messages')).toEqual([...written].sort((x, y) => x.id.localeCompare(y.id)));
    expect(await listMessages(db, 'a')).toEqual(written.filter((m) => m.conversationId === 'a'));
    expect(await db.get('settings', 'app')).toEqual({ backend: 'webgpu', sampling, systemPrompt: '' });
    expect((await listConversations(db)).map((c) => c.id)).toEqual(['a', 'new']);
    expect((await listDeletedConversations(db)).map((c) => c.id)).toEqual(['gone']);
    expect(Array.from(db.transaction('conversations').store.indexNames)).toEqual(['byUpdatedAt']);
    expect(Array.from(db.transaction('messages').store.indexNames)).toEqual(['byConversation']);
    db.close();
  });
});
