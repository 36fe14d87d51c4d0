import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
  createConversation,
  deleteConversation,
  getConversation,
  listConversations,
  listMessages,
  saveMessage,
  updateConversation,
} from '../../src/storage/conversations';
import { openChatDb } from '../../src/storage/db';
import type { StoredMessage } from '../../src/storage/schema';
import { DEFAULT_SETTINGS, loadSettings, saveSettings } from '../../src/storage/settings';

let dbCount = 0;
const freshDb = () => openChatDb(`test-${++dbCount}`);

function message(conversationId: string, createdAt: number, overrides: Partial<StoredMessage> = {}): StoredMessage {
  return {
    id: crypto.randomUUID(), conversationId, parentId: null, role: 'user', content: `at ${createdAt}`,
    createdAt, updatedAt: createdAt, status: 'complete', ...overrides,
  };
}

describe('storage', () => {
  it('round-trips conversations and messages in order, across a reopen', async () => {
    const name = `roundtrip-${++dbCount}`;
    const db = await openChatDb(name);
    const conversation = await createConversation(db, 'Hello', 'be brief');
    const written = [message(conversation.id, 30), message(conversation.id, 10), message(conversation.id, 20, {
      role: 'assistant', status: 'partial', stopReason: 'interrupted', content: 'half a rep',
      metrics: { ttftMs: 12, decodeTokensPerSecond: 40, promptTokens: 9, prefillTokens: 9, newTokens: 3, totalMs: 80, backend: 'wasm', dtype: 'q8', droppedTurns: 0 },
    })];
    for (const m of written) await saveMessage(db, m);
    db.close();

    const reopened = await openChatDb(name);
    const read = await listMessages(reopened, conversation.id);
    expect(read.map((m) => m.createdAt)).toEqual([10, 20, 30]);
    expect(read[1]).toEqual(written[2]);
    expect(await getConversation(reopened, conversation.id)).toMatchObject({ title: 'Hello', systemPrompt: 'be brief' });
  });

  it('keeps each conversation’s messages apart', async () => {
    const db = await freshDb();
    const a = await createConversation(db, 'A');
    const b = await createConversation(db, 'B');
    await saveMessage(db, message(a.id, 1));
    await saveMessage(db, message(b.id, 2));
    await saveMessage(db, message(a.id, 3));
    expect((await listMessages(db, a.id)).map((m) => m.createdAt)).toEqual([1, 3]);
    expect((await listMessages(db, b.id)).map((m) => m.createdAt)).toEqual([2]);
  });

  it('lists the most recently active conversation first', async () => {
    const db = await freshDb();
    const older = await createConversation(db, 'older');
    const newer = await createConversation(db, 'newer');
    await updateConversation(db, newer.id, { updatedAt: 100 });
    await saveMessage(db, message(older.id, 5_000_000_000_000));
    expect((await listConversations(db)).map((c) => c.title)).toEqual(['older', 'newer']);
  });

  it('overwrites a streaming reply in place as it grows', async () => {
    const db = await freshDb();
    const c = await createConversation(db);
    const reply = message(c.id, 1, { role: 'assistant', status: 'partial', stopReason: 'interrupted', content: 'He' });
    await saveMessage(db, reply);
    await saveMessage(db, { ...reply, content: 'Hello there', status: 'complete', stopReason: undefined });
    const read = await listMessages(db, c.id);
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ content: 'Hello there', status: 'complete' });
  });

  it('deletes a conversation with all its messages', async () => {
    const db = await freshDb();
    const keep = await createConversation(db, 'keep');
    const drop = await createConversation(db, 'drop');
    await saveMessage(db, message(keep.id, 1));
    await saveMessage(db, message(drop.id, 2));
    await deleteConversation(db, drop.id);
    expect((await listConversations(db)).map((c) => c.title)).toEqual(['keep']);
    expect(await listMessages(db, drop.id)).toEqual([]);
    expect(await db.count('messages')).toBe(1);
  });

  it('fills settings that were added after they were saved with defaults', async () => {
    const db = await freshDb();
    expect(await loadSettings(db)).toEqual(DEFAULT_SETTINGS);
    await db.put('settings', { backend: 'wasm', sampling: { temperature: 0.2 } }, 'app');
    const loaded = await loadSettings(db);
    expect(loaded.backend).toBe('wasm');
    expect(loaded.sampling).toEqual({ ...DEFAULT_SETTINGS.sampling, temperature: 0.2 });
    await saveSettings(db, { ...loaded, systemPrompt: 'x' });
    expect((await loadSettings(db)).systemPrompt).toBe('x');
  });
});
