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
import { createConversation, deleteConversation, deleteMessages, getConversation, listMessages, saveMessage } from '../../src/storage/conversations';
import { openChatDb } from '../../src/storage/db';
import { linkV1MessagesIntoThreads } from '../../src/storage/migrate-v2';
import { DB_VERSION, type ChatDbSchema, type StoredMessage } from '../../src/storage/schema';

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
    expect(db.version).toBe(3);
    expect(await getConversation(db, 'chat')).toEqual(conversation);
    expect(await listMessages(db, 'chat')).toEqual(written);
    expect(await db.get('settings', 'app')).toEqual({ backend: 'wasm' });
    expect(Array.from(db.objectStoreNames).sort()).toEqual(['conversations', 'feedback', 'messages', 'settings']);
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
