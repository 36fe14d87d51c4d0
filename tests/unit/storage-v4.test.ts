/** v4 adds the `personalModel` store (the personal reward head); a v3 database upgrades with nothing lost. */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { deleteHead, loadHead, saveHead } from '../../src/reward/head-storage';
import { openChatDb } from '../../src/storage/db';
import { DB_VERSION } from '../../src/storage/schema';
import type { PersonalHeadState } from '../../workers/shared/reward-protocol';
import { createStoresOfVersion, request } from './support/old-databases';


/** Writes a database exactly as version 3 of the app left it: v1 stores + threaded messages + feedback. */
async function writeV3Database(name: string, records: { conversations: object[]; messages: object[]; feedback: object[]; settings: unknown }): Promise<void> {
  const open = indexedDB.open(name, 3);
  open.onupgradeneeded = () => createStoresOfVersion(open.result, 3);
  const db = await request(open);
  const tx = db.transaction(['conversations', 'messages', 'feedback', 'settings'], 'readwrite');
  for (const c of records.conversations) tx.objectStore('conversations').put(c);
  for (const m of records.messages) tx.objectStore('messages').put(m);
  for (const f of records.feedback) tx.objectStore('feedback').put(f);
  tx.objectStore('settings').put(records.settings, 'app');
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
  db.close();
}

const head: PersonalHeadState = {
  version: 1,
  encoderId: 'demo-encoder-tiny',
  featureSize: 3,
  weights: [0.25, -1.5, 3e-7],
  bias: -0.125,
  trainingCount: 2,
  examples: [
    { messageId: 'b1', features: [1, 2, 3], liked: true, weight: 1 },
    { messageId: 'b2', features: [-1, 0.5, 9], liked: false, weight: 1.5 },
  ],
  updatedAt: 1700000000000,
};

describe('database v4', () => {
  it('upgrades a v3 database with every conversation, message, feedback record and setting kept', async () => {
    const name = 'v3-upgrade';
    const conversation = { id: 'c', title: 'Hi', createdAt: 1, updatedAt: 4, systemPrompt: '', currentLeafId: 'b1' };
    const messages = [
      { id: 'u1', conversationId: 'c', parentId: null, role: 'user', content: 'Hello', createdAt: 1, updatedAt: 1, status: 'complete' },
      { id: 'b1', conversationId: 'c', parentId: 'u1', role: 'assistant', content: 'Hi there', createdAt: 2, updatedAt: 3, status: 'complete', modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8' },
    ];
    const feedback = [{ messageId: 'b1', conversationId: 'c', rating: 'down', reasons: ['off-topic'], comment: 'meh', betterResponse: '', createdAt: 4, updatedAt: 4 }];
    const settings = { theme: 'dark' };
    await writeV3Database(name, { conversations: [conversation], messages, feedback, settings });

    const db = await openChatDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(Array.from(db.objectStoreNames)).toContain('personalModel');
    expect(await db.getAll('conversations')).toEqual([conversation]);
    expect(await db.getAll('messages')).toEqual([...messages].sort((a, b) => a.id.localeCompare(b.id)));
    expect(await db.getAll('feedback')).toEqual(feedback);
    expect(await db.get('settings', 'app')).toEqual(settings);
    expect(await db.getAllFromIndex('feedback', 'byConversation', 'c')).toHaveLength(1);
    expect(await loadHead(db)).toBeNull();
    db.close();
  });

  it('saves, reloads (across a reopen) and deletes the personal head', async () => {
    const name = 'v4-head';
    const db = await openChatDb(name);
    await saveHead(db, head);
    db.close();
    const reopened = await openChatDb(name);
    expect(await loadHead(reopened)).toEqual(head);
    await saveHead(reopened, { ...head, trainingCount: 3 });
    expect(await reopened.count('personalModel')).toBe(1);
    expect((await loadHead(reopened))?.trainingCount).toBe(3);
    await deleteHead(reopened);
    expect(await loadHead(reopened)).toBeNull();
    reopened.close();
  });
});
