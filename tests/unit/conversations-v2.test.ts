import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { visibleThread } from '../../src/chat/branches';
import { ConversationDeletions, UNDO_WINDOW_MS } from '../../src/chat/conversation-deletions.svelte';
import {
  createConversation,
  deleteMessages,
  getConversation,
  listConversations,
  listMessages,
  restoreConversation,
  saveMessage,
  setCurrentLeaf,
  softDeleteConversation,
} from '../../src/storage/conversations';
import { openChatDb } from '../../src/storage/db';
import { DB_VERSION, type StoredMessage } from '../../src/storage/schema';
import { searchConversations, searchTerms } from '../../src/storage/search';
import { writeV1Database } from './support/old-databases';

let dbCount = 0;
const freshDb = () => openChatDb(`v2-test-${++dbCount}`);

function message(conversationId: string, parentId: string | null, createdAt: number, content: string, role: StoredMessage['role'] = 'user'): StoredMessage {
  return { id: `${conversationId}-${createdAt}`, conversationId, parentId, role, content, createdAt, updatedAt: createdAt, status: 'complete' };
}



describe('upgrade from a database written by v1', () => {
  it('keeps every conversation, message and setting, and turns each flat conversation into one thread', async () => {
    const name = `v1-upgrade-${++dbCount}`;
    const v1Message = (id: string, conversationId: string, createdAt: number, role: 'user' | 'assistant', content: string, extra: object = {}) =>
      ({ id, conversationId, role, content, createdAt, updatedAt: createdAt, status: 'complete', ...extra });
    const partialReply = v1Message('b2', 'chat', 40, 'assistant', 'It is sun', {
      status: 'partial', stopReason: 'interrupted', modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8',
      sampling: { temperature: 0.8, topP: 0.95, topK: 50, maxNewTokens: 256, repetitionPenalty: 1.1 },
    });
    await writeV1Database(
      name,
      [
        { id: 'chat', title: 'Weather', createdAt: 1, updatedAt: 40, systemPrompt: 'be brief' },
        { id: 'other', title: 'Other', createdAt: 2, updatedAt: 5, systemPrompt: '' },
        { id: 'empty', title: 'Empty', createdAt: 3, updatedAt: 3, systemPrompt: '' },
      ],
      // Written out of order: v1 ordered a conversation by createdAt, not by insertion.
      [
        partialReply,
        v1Message('u1', 'chat', 10, 'user', 'Hi'),
        v1Message('u2', 'chat', 30, 'user', 'Weather?'),
        v1Message('o1', 'other', 5, 'user', 'Elsewhere'),
        v1Message('b1', 'chat', 20, 'assistant', 'Hello!'),
      ],
      { backend: 'wasm', sampling: { temperature: 0.3 }, systemPrompt: 'custom' },
    );

    const db = await openChatDb(name);
    expect(db.version).toBe(DB_VERSION);
    const messages = await listMessages(db, 'chat');
    expect(messages.map((m) => [m.id, m.parentId])).toEqual([['u1', null], ['b1', 'u1'], ['u2', 'b1'], ['b2', 'u2']]);
    expect(messages[3]).toEqual({ ...partialReply, parentId: 'u2' });

    const chat = await getConversation(db, 'chat');
    expect(chat).toEqual({ id: 'chat', title: 'Weather', createdAt: 1, updatedAt: 40, systemPrompt: 'be brief', currentLeafId: 'b2' });
    expect(visibleThread(messages, chat!.currentLeafId).map((m) => m.content)).toEqual(['Hi', 'Hello!', 'Weather?', 'It is sun']);

    expect((await listMessages(db, 'other')).map((m) => m.parentId)).toEqual([null]);
    expect((await getConversation(db, 'other'))?.currentLeafId).toBe('o1');
    expect((await getConversation(db, 'empty'))?.currentLeafId).toBeNull();
    expect((await listConversations(db)).map((c) => c.id)).toEqual(['chat', 'other', 'empty']);
    expect(await db.get('settings', 'app')).toEqual({ backend: 'wasm', sampling: { temperature: 0.3 }, systemPrompt: 'custom' });
    db.close();

    // Opening again does not run the step twice.
    const again = await openChatDb(name);
    expect((await listMessages(again, 'chat')).map((m) => m.parentId)).toEqual([null, 'u1', 'b1', 'u2']);
  });
});

describe('branches in storage', () => {
  it('keeps every version and the thread shown across a reopen', async () => {
    const name = `branches-${++dbCount}`;
    const db = await openChatDb(name);
    const c = await createConversation(db, 'Branches');
    const q = message(c.id, null, 1, 'Question');
    const first = message(c.id, q.id, 2, 'First reply', 'assistant');
    const second = message(c.id, q.id, 3, 'Second reply', 'assistant');
    await saveMessage(db, q, { asCurrentLeaf: true });
    await saveMessage(db, first, { asCurrentLeaf: true });
    await saveMessage(db, second, { asCurrentLeaf: true });
    expect((await getConversation(db, c.id))?.currentLeafId).toBe(second.id);

    const before = await getConversation(db, c.id);
    await setCurrentLeaf(db, c.id, first.id);
    db.close();

    const reopened = await openChatDb(name);
    const conversation = await getConversation(reopened, c.id);
    // Flipping a version is not activity: the list order stays.
    expect(conversation).toEqual({ ...before, currentLeafId: first.id });
    const thread = visibleThread(await listMessages(reopened, c.id), conversation!.currentLeafId);
    expect(thread.map((m) => m.content)).toEqual(['Question', 'First reply']);
  });

  it('a save without asCurrentLeaf does not move the thread', async () => {
    const db = await freshDb();
    const c = await createConversation(db);
    await saveMessage(db, message(c.id, null, 1, 'a'), { asCurrentLeaf: true });
    await saveMessage(db, message(c.id, null, 2, 'b'));
    expect((await getConversation(db, c.id))?.currentLeafId).toBe(`${c.id}-1`);
  });

  it('deleting a branch removes its messages and moves the thread', async () => {
    const db = await freshDb();
    const c = await createConversation(db);
    for (const m of [message(c.id, null, 1, 'q'), message(c.id, `${c.id}-1`, 2, 'a'), message(c.id, `${c.id}-1`, 3, 'b')]) {
      await saveMessage(db, m, { asCurrentLeaf: true });
    }
    await deleteMessages(db, c.id, [`${c.id}-3`], `${c.id}-2`);
    expect((await listMessages(db, c.id)).map((m) => m.content)).toEqual(['q', 'a']);
    expect((await getConversation(db, c.id))?.currentLeafId).toBe(`${c.id}-2`);
  });
});

describe('search', () => {
  it('splits a query into lower-cased words', () => {
    expect(searchTerms('  Zebra   CROSSING ')).toEqual(['zebra', 'crossing']);
    expect(searchTerms('   ')).toEqual([]);
  });

  it('finds conversations by title and by the text of any message, on any branch, ignoring case', async () => {
    const db = await freshDb();
    const zoo = await createConversation(db, 'Trip to the zoo');
    const recipes = await createConversation(db, 'Recipes');
    const empty = await createConversation(db, 'Nothing here');
    await saveMessage(db, message(zoo.id, null, 1, 'What do zebras eat?'));
    await saveMessage(db, message(recipes.id, null, 2, 'A soup with leeks'));
    // An older version of a reply still counts.
    await saveMessage(db, message(recipes.id, `${recipes.id}-2`, 3, 'Add a Zebra-shaped noodle', 'assistant'));
    await saveMessage(db, message(recipes.id, `${recipes.id}-2`, 4, 'Add salt', 'assistant'));

    expect(await searchConversations(db, 'ZOO')).toEqual(new Set([zoo.id]));
    expect(await searchConversations(db, 'zebra')).toEqual(new Set([zoo.id, recipes.id]));
    expect(await searchConversations(db, 'leeks')).toEqual(new Set([recipes.id]));
    // Every word must appear, but they may sit in different messages or the title.
    expect(await searchConversations(db, 'soup salt')).toEqual(new Set([recipes.id]));
    expect(await searchConversations(db, 'zebras soup')).toEqual(new Set());
    expect(await searchConversations(db, 'giraffe')).toEqual(new Set());
    expect(await searchConversations(db, '')).toEqual(new Set());
    expect((await searchConversations(db, 'here')).has(empty.id)).toBe(true);
  });

  it('never finds a deleted conversation', async () => {
    const db = await freshDb();
    const gone = await createConversation(db, 'Secret plans');
    await softDeleteConversation(db, gone.id);
    expect(await searchConversations(db, 'secret')).toEqual(new Set());
  });
});

describe('delete with undo', () => {
  it('hides a deleted conversation at once and undo restores it exactly', async () => {
    const db = await freshDb();
    const keep = await createConversation(db, 'keep');
    const drop = await createConversation(db, 'drop');
    await saveMessage(db, message(drop.id, null, 1, 'hello'), { asCurrentLeaf: true });
    const before = await getConversation(db, drop.id);

    const deletions = new ConversationDeletions(db);
    await deletions.delete(before!, true);
    expect((await listConversations(db)).map((c) => c.title)).toEqual(['keep']);
    expect(deletions.pending?.conversation.title).toBe('drop');

    const restored = await deletions.undo();
    expect(restored?.wasActive).toBe(true);
    expect(deletions.pending).toBeNull();
    expect(await getConversation(db, drop.id)).toEqual(before);
    expect((await listMessages(db, drop.id)).map((m) => m.content)).toEqual(['hello']);
    expect((await listConversations(db)).map((c) => c.id).sort()).toEqual([keep.id, drop.id].sort());
  });

  it('after a reload, finishes deletions whose undo window passed and offers undo for the rest until theirs ends', async () => {
    const db = await freshDb();
    const expired = await createConversation(db, 'expired');
    const recent = await createConversation(db, 'recent');
    await saveMessage(db, message(expired.id, null, 1, 'old'));
    await saveMessage(db, message(recent.id, null, 2, 'new'));
    await softDeleteConversation(db, expired.id, Date.now() - UNDO_WINDOW_MS - 1);
    // Deleted by the page before the reload, 150 ms before its window ends.
    await softDeleteConversation(db, recent.id, Date.now() - UNDO_WINDOW_MS + 150);

    const deletions = new ConversationDeletions(db);
    await deletions.resume();
    expect(await getConversation(db, expired.id)).toBeUndefined();
    expect(await listMessages(db, expired.id)).toEqual([]);
    expect(deletions.pending?.conversation.title).toBe('recent');
    expect(await listConversations(db)).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(deletions.pending).toBeNull();
    expect(await getConversation(db, recent.id)).toBeUndefined();
    expect(await db.count('messages')).toBe(0);
  });

  it('a restore cancels the pending purge even when it comes from elsewhere', async () => {
    const db = await freshDb();
    const c = await createConversation(db, 'back again');
    await softDeleteConversation(db, c.id, Date.now() - UNDO_WINDOW_MS + 100);
    const deletions = new ConversationDeletions(db);
    await deletions.resume();
    await restoreConversation(db, c.id);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await listConversations(db)).map((x) => x.title)).toEqual(['back again']);
  });
});
