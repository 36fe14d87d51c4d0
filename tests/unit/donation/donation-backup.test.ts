/**
 * Issue 13 (A): a backup never carries donation consent or a collector address into effect, and
 * nothing it holds is ever sent. Every request the app makes goes through the fake collector,
 * so "nothing sent" is checked request by request.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DonationStore } from '../../../src/donation/donation-store.svelte';
import type { DonationRecord } from '../../../src/donation/donation-store-api';
import { createBackup, importBackup, type BackupFile, type ImportSummary } from '../../../src/backup/backup';
import { encodeBackupJson } from '../../../src/backup/backup-codec';
import { openChatDb } from '../../../src/storage/db';
import { FakeCollector, ManualScheduler, writeConversation } from './support';

const EVIL = 'https://collector.evil.example';
const KNOWN_DONOR = 'donor-0123456789abcdef';

let count = 0;
const stores: DonationStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

class World {
  readonly collector = new FakeCollector();
  readonly scheduler = new ManualScheduler();
  readonly window = new EventTarget();
  readonly dbName = `donation-backup-${++count}`;

  async open(): Promise<DonationStore> {
    const store = new DonationStore({
      dbName: this.dbName,
      fetch: this.collector.fetch,
      now: () => Date.parse('2024-06-01T10:40:00Z'),
      random: () => 0,
      isOnline: () => true,
      schedule: this.scheduler.schedule,
      onlineEvents: this.window,
    });
    stores.push(store);
    await store.init();
    return store;
  }

  /** Everything that could make the outbox send: going online, its timer, a wait for it to finish. */
  async nudge(store: DonationStore): Promise<void> {
    this.window.dispatchEvent(new Event('online'));
    while (this.scheduler.active()) this.scheduler.fire();
    await store.whenIdle();
  }

  async import(backup: string): Promise<ImportSummary> {
    const db = await openChatDb(this.dbName);
    try {
      return await importBackup(db, backup);
    } finally {
      db.close();
    }
  }
}

function outboxRecord(bundleId: string, status: DonationRecord['status']): DonationRecord {
  return {
    bundleId, createdAt: 1_700_000_000_000, status, body: '{"stolen":"conversations"}', endpoint: EVIL,
    conversationCount: 1, messageCount: 2, withdrawalToken: `token-${bundleId}`, attempts: 0,
  };
}

const SENT_ID = '00000000-0000-4000-8000-000000000004';

/** What an attacker hands the user: donation on, their collector, consent "given", bundles queued. */
async function hostileBackup(): Promise<string> {
  const empty = await createBackup(await openChatDb(`donation-backup-empty-${++count}`));
  const file: BackupFile = {
    ...empty,
    stores: {
      settings: [{
        key: 'donation',
        value: { enabled: true, endpoint: EVIL, declaredTerms: ['Zorblatt'], donor: KNOWN_DONOR, consentGivenAt: '2024-01-01T00:00:00.000Z' },
      }],
      donations: [
        { key: '00000000-0000-4000-8000-000000000001', value: outboxRecord('00000000-0000-4000-8000-000000000001', 'queued') },
        { key: '00000000-0000-4000-8000-000000000002', value: outboxRecord('00000000-0000-4000-8000-000000000002', 'sending') },
        { key: '00000000-0000-4000-8000-000000000003', value: outboxRecord('00000000-0000-4000-8000-000000000003', 'failed') },
        { key: SENT_ID, value: { ...outboxRecord(SENT_ID, 'sent'), receipt: { receiptId: 'r-9', receivedAt: '2024-01-02T00:00:00.000Z' } } },
      ],
    },
  };
  return encodeBackupJson(file);
}

describe('a backup that tries to switch donation on', () => {
  it('imports donation off, without consent, pseudonym or address, and nothing is ever sent', async () => {
    const world = new World();
    const db = await openChatDb(world.dbName);
    const chat = await writeConversation(db, 'Private', [{ user: 'my secret', bot: 'ok' }]);
    db.close();

    const summary = await world.import(await hostileBackup());
    const store = await world.open();
    await world.nudge(store);

    expect(world.collector.requests).toEqual([]);
    expect(world.scheduler.pending).toEqual([]);
    expect(store.settings).toMatchObject({ enabled: false, consentGivenAt: null, endpoint: 'http://localhost:8787', declaredTerms: ['Zorblatt'] });
    expect(store.settings.donor).not.toBe(KNOWN_DONOR);
    expect(store.suggestedEndpoint).toBe(EVIL);
    // Only the sent bundle came in, so the user can still withdraw it; none can be sent.
    expect(store.bundles.map((b) => [b.bundleId, b.status])).toEqual([[SENT_ID, 'sent']]);
    expect(summary.notes).toEqual([
      'A backup never turns donation on: donation stays as it was on this device, and only you can turn it on, on the donation page.',
      `The backup names the collector ${EVIL}. It is not used unless you choose it on the donation page.`,
      '3 donation bundles from the backup had not been sent and were left out: nothing from a backup is ever sent. To donate those conversations, prepare a new bundle on the donation page.',
    ]);

    // No path sends without the user turning donation on and confirming a bundle.
    await store.retry(SENT_ID);
    await store.createPreview([chat.id], { includeFeedback: true });
    expect(store.error).toMatch(/Turn donation on/);
    await store.confirm();
    await world.nudge(store);
    const reopened = await world.open();
    await world.nudge(reopened);
    expect(world.collector.requests).toEqual([]);
  });

  it('leaves donation as the user set it here, and the backup\'s bundles never join the outbox', async () => {
    const world = new World();
    const db = await openChatDb(world.dbName);
    const chat = await writeConversation(db, 'Mine', [{ user: 'hello', bot: 'hi' }]);
    db.close();
    const store = await world.open();
    await store.optIn();
    const before = store.settings;

    await world.import(await hostileBackup());
    await store.reload();
    await world.nudge(store);

    expect(store.settings).toEqual(before);
    expect(world.collector.requests).toEqual([]);
    // The user's own donation still goes where the user said, and only there.
    await store.createPreview([chat.id], { includeFeedback: false });
    await store.confirm();
    await world.nudge(store);
    const reopened = await world.open();
    await world.nudge(reopened);
    expect(world.collector.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST http://localhost:8787/v1/bundles']);
  });

  it('keeps a sent bundle\'s withdrawal token: withdrawing asks the collector it went to, with that token', async () => {
    const world = new World();
    await world.import(await hostileBackup());
    const store = await world.open();

    await store.withdraw(SENT_ID);

    expect(world.collector.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['DELETE', `${EVIL}/v1/bundles/${SENT_ID}`, `Bearer token-${SENT_ID}`],
    ]);
    expect(store.bundles[0]).toMatchObject({ bundleId: SENT_ID, status: 'withdrawn' });
  });
});

describe('the collector address a backup names', () => {
  it('is used only once the user accepts it, and even then donation stays off', async () => {
    const world = new World();
    await world.import(await hostileBackup());
    const store = await world.open();

    await store.acceptSuggestedEndpoint();

    expect(store.settings).toMatchObject({ endpoint: EVIL, enabled: false, consentGivenAt: null });
    expect(store.suggestedEndpoint).toBeNull();
    expect((await world.open()).suggestedEndpoint).toBeNull();
    expect(world.collector.requests).toEqual([]);
  });

  it('can be dismissed, and is dropped when the user types an address', async () => {
    const world = new World();
    await world.import(await hostileBackup());
    const store = await world.open();

    await store.dismissSuggestedEndpoint();
    expect(store.suggestedEndpoint).toBeNull();
    expect((await world.open()).suggestedEndpoint).toBeNull();
    expect(store.settings.endpoint).toBe('http://localhost:8787');

    await world.import(await hostileBackup());
    await store.reload();
    expect(store.suggestedEndpoint).toBe(EVIL);
    expect(await store.setEndpoint('https://collector.example.org')).toBeNull();
    expect(store.suggestedEndpoint).toBeNull();
    expect((await world.open()).suggestedEndpoint).toBeNull();
  });
});
