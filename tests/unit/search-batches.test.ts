import 'fake-indexeddb/auto';
import { expect, it } from 'vitest';
import { createConversation, saveMessage } from '../../src/storage/conversations';
import { openChatDb } from '../../src/storage/db';
import type { StoredMessage } from '../../src/storage/schema';
import { searchConversations } from '../../src/storage/search';

it('search reads every message, past the first batch', async () => {
  const db = await openChatDb('search-batches-test');
  const conversations = [];
  for (let c = 0; c < 3; c++) conversations.push(await createConversation(db, `Chat ${c}`));
  // More messages than one batch (500), with the only match last by id.
  for (let i = 0; i < 1200; i++) {
    const conversation = conversations[i % 3]!;
    const message: StoredMessage = {
      id: `m-${String(i).padStart(5, '0')}`, conversationId: conversation.id, parentId: null, role: 'user',
      content: i === 1199 ? 'a word about aardvarks' : `filler message ${i}`, createdAt: i, updatedAt: i, status: 'complete',
    };
    await saveMessage(db, message);
  }
  expect(await searchConversations(db, 'aardvarks')).toEqual(new Set([conversations[1199 % 3]!.id]));
  expect(await searchConversations(db, 'filler 7')).toEqual(new Set(conversations.map((c) => c.id)));
});
