/**
 * After a backup is restored, what the app shows comes from the restored data without a reload:
 * the restore says so once to this tab and the others, and the reward model takes the restored
 * head (the count Settings shows, the scores, and the next rating build on it). The reward worker
 * runs in process here (its real message handling, on onnxruntime-node and the built demo models).
 */
import 'fake-indexeddb/auto';
import { env } from '@huggingface/transformers';
import type { IDBPDatabase } from 'idb';
import { resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BackupError, createBackup, serializeBackup } from '../../src/backup/backup';
import { restoreBackup } from '../../src/backup/restore-backup';
import { DEMO_ENCODER, DEMO_SAFETY } from '../../src/reward/reward-catalog';
import { RewardClient } from '../../src/reward/reward-client';
import { RewardStore } from '../../src/reward/reward-store.svelte';
import { loadHead } from '../../src/reward/head-storage';
import { openChatDb, type ChatDb } from '../../src/storage/db';
import { TabSync, type TabChange } from '../../src/storage/tab-sync';
import type { RewardEvent, RewardRequest, TrainingExample } from '../../workers/shared/reward-protocol';
import { RewardService } from '../../workers/reward/reward-service';
import { conversation, userMessage } from '../support/backup-records';

beforeAll(() => {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = resolve('public/models') + '/';
});

let count = 0;
const freshDb = () => openChatDb(`restore-refresh-${++count}`);

/** The reward worker's own message handling, answering in this process as the worker would. */
class InProcessWorker extends EventTarget {
  private readonly service = new RewardService();
  postMessage(request: RewardRequest): void {
    void this.service.handle(request, (event: RewardEvent) => this.dispatchEvent(new MessageEvent('message', { data: event })));
  }
  terminate(): void {}
}

const stores: RewardStore[] = [];
function rewardStore(db: ChatDb): RewardStore {
  const store = new RewardStore(
    () => db,
    () => 'wasm',
    () => ({ encoderId: DEMO_ENCODER.id, safetyId: DEMO_SAFETY.id, host: undefined }),
    () => new RewardClient(() => new InProcessWorker() as unknown as Worker),
  );
  stores.push(store);
  return store;
}

afterEach(() => {
  for (const store of stores.splice(0)) store.dispose();
});

const rating = (messageId: string, reply: string, liked: boolean): TrainingExample => ({
  messageId, context: [{ role: 'user', content: 'what do you like?' }], reply, liked, reasons: [],
});

async function learned(store: RewardStore): Promise<void> {
  await vi.waitFor(() => expect(store.pendingTraining).toBe(0), { timeout: 30_000 });
  expect(store.error).toBeNull();
}

/** Announcements heard by this tab (`here`) and by another tab on the same channel (`there`). */
function listeningTabs(): { sync: TabSync; here: TabChange[]; there: TabChange[]; close(): void } {
  const sync = new TabSync();
  const other = new TabSync();
  const here: TabChange[] = [];
  const there: TabChange[] = [];
  sync.listen((change) => here.push(change));
  other.listen((change) => there.push(change));
  return { sync, here, there, close: () => (sync.close(), other.close()) };
}

describe('restoring a backup', () => {
  it('tells this tab and the other tabs once when it wrote something, and not for a file that changes nothing or is refused', async () => {
    const source = await freshDb();
    await source.put('conversations', conversation('c1'));
    await source.put('messages', userMessage('m1', 'c1', null, 'Hello', 10));
    const text = serializeBackup(await createBackup(source));
    const target = await freshDb();
    const tabs = listeningTabs();
    try {
      const summary = await restoreBackup(target, text, tabs.sync);
      expect(summary.added).toBe(2);
      expect(tabs.here).toEqual([{ kind: 'restored' }]);
      await vi.waitFor(() => expect(tabs.there).toEqual([{ kind: 'restored' }]));

      // The same file again writes nothing, so nothing needs reading again.
      expect((await restoreBackup(target, text, tabs.sync)).unchanged).toBe(2);
      await expect(restoreBackup(target, 'not a backup', tabs.sync)).rejects.toBeInstanceOf(BackupError);
      await new Promise((done) => setTimeout(done, 50));
      expect(tabs.here).toHaveLength(1);
      expect(tabs.there).toHaveLength(1);
    } finally {
      tabs.close();
    }
  });

  it('keeps other announcements to the other tabs', async () => {
    const tabs = listeningTabs();
    try {
      tabs.sync.announce({ kind: 'donations' });
      await vi.waitFor(() => expect(tabs.there).toEqual([{ kind: 'donations' }]));
      expect(tabs.here).toEqual([]);
    } finally {
      tabs.close();
    }
  });

  it('gives the reward model the restored head: its count at once, and the next rating adds to it', async () => {
    // Two ratings learned on the device the backup comes from.
    const source = await freshDb();
    const before = rewardStore(source);
    before.learn(rating('a', 'I like music a lot', true));
    before.learn(rating('b', 'the river is long', false));
    await learned(before);
    expect(before.ratingsLearned).toBe(2);
    const text = serializeBackup(await createBackup(source));

    // A device whose reward model has learned nothing (after "Clear site data", say).
    const target = await freshDb();
    const after = rewardStore(target);
    expect(await after.ensureLoaded()).toBe(true);
    expect(after.ratingsLearned).toBe(0);

    const sync = new TabSync(() => null);
    sync.listen((change) => {
      if (change.kind === 'restored') void after.reloadHead();
    });
    await restoreBackup(target, text, sync);
    await vi.waitFor(() => expect(after.ratingsLearned).toBe(2));
    expect(after.trainingCount).toBe(2);

    // The next rating trains the restored head, and what is stored keeps all three.
    after.learn(rating('c', 'music again', true));
    await learned(after);
    expect(after.ratingsLearned).toBe(3);
    expect((await loadHead(target))?.examples.map((e) => e.messageId)).toEqual(['a', 'b', 'c']);
    (target as unknown as IDBPDatabase).close();
  });

  it('leaves a reward model that has not loaded yet to read the restored head as it loads', async () => {
    const target = await freshDb();
    const store = rewardStore(target);
    await store.reloadHead();
    expect(store.status).toBe('idle');
    expect(store.error).toBeNull();
  });
});
