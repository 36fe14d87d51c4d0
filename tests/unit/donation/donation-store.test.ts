import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkBundle } from '../../../src/donation/validate-bundle';
import { DonationStore } from '../../../src/donation/donation-store.svelte';
import type { DonationRecord } from '../../../src/donation/donation-store-api';
import { openChatDb } from '../../../src/storage/db';
import { FakeCollector, ManualScheduler, rateReply, writeConversation } from './support';

let count = 0;
const freshName = () => `donation-store-${++count}`;

/** Everything a store needs from the outside, under the test's control. */
class World {
  readonly collector = new FakeCollector();
  readonly scheduler = new ManualScheduler();
  readonly window = new EventTarget();
  clock = Date.parse('2024-06-01T10:40:00Z');
  online = true;
  readonly stores: DonationStore[] = [];

  constructor(readonly dbName = freshName()) {}

  async open(): Promise<DonationStore> {
    const store = new DonationStore({
      dbName: this.dbName,
      fetch: this.collector.fetch,
      now: () => this.clock,
      random: () => 0,
      isOnline: () => this.online,
      schedule: this.scheduler.schedule,
      onlineEvents: this.window,
    });
    this.stores.push(store);
    await store.init();
    return store;
  }

  /** A chat with something to donate, written the way the chat writes it. */
  async seedChat(): Promise<{ id: string }> {
    const db = await openChatDb(this.dbName);
    const chat = await writeConversation(db, 'Call me', [
      { user: 'Reach me at jane.doe@example.com or +1 415-555-0132.', bot: 'I will not share jane.doe@example.com.' },
      { user: 'Thanks', bot: 'You are welcome.' },
    ]);
    await rateReply(db, chat.messages[1]!, 'down', { reasons: ['rude'], comment: 'Never repeat jane.doe@example.com', betterResponse: 'Noted.' });
    db.close();
    return chat;
  }

  goOnline(): void {
    this.online = true;
    this.window.dispatchEvent(new Event('online'));
  }

  closeAll(): void {
    for (const store of this.stores) store.close();
  }
}

let world: World;
afterEach(() => {
  world?.closeAll();
  vi.restoreAllMocks();
});

/** Opts in, previews the chat and confirms it; returns the stored record. */
async function donate(store: DonationStore, conversationId: string): Promise<{ record: DonationRecord; json: string }> {
  if (!store.settings.enabled) await store.optIn();
  await store.createPreview([conversationId], { includeFeedback: true });
  const json = store.preview!.json;
  await store.confirm();
  expect(store.error).toBeNull();
  return { record: store.bundles[0]!, json };
}

describe('a user who never opted in', () => {
  it('causes no network request and no timer, even with conversations stored', async () => {
    world = new World();
    await world.seedChat();
    const store = await world.open();
    await store.whenIdle();
    expect(store.settings.enabled).toBe(false);
    expect(store.bundles).toEqual([]);

    const chat = await world.seedChat();
    await store.createPreview([chat.id], { includeFeedback: true });
    expect(store.preview).toBeNull();
    expect(store.error).toMatch(/Turn donation on/);
    await store.confirm();
    await store.retry('anything');

    const reloaded = await world.open();
    await reloaded.whenIdle();
    expect(world.collector.requests).toEqual([]);
    expect(world.scheduler.pending).toEqual([]);
  });
});

describe('donating', () => {
  it('previews de-identified JSON, and sends exactly that text with the withdrawal token once confirmed', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    await store.optIn();
    expect(store.settings.consentGivenAt).toBe('2024-06-01T10:40:00.000Z');
    expect(store.candidates.map((c) => [c.conversationId, c.messageCount, c.ratedCount])).toEqual([[chat.id, 4, 1]]);
    expect(store.ratedCandidateIds()).toEqual([chat.id]);

    await store.createPreview([chat.id], { includeFeedback: true });
    const preview = store.preview!;
    expect(store.error).toBeNull();
    expect(preview.json).not.toContain('jane.doe@example.com');
    expect(preview.json).not.toContain('555-0132');
    expect(preview.bundle.donor).toBe(store.settings.donor);
    expect(preview.bundle.consent.givenAt).toBe(store.settings.consentGivenAt);
    expect(preview.segments.map((s) => s.text).join('')).toBe(preview.json);
    expect(preview.segments.filter((s) => s.entity).map((s) => s.text)).toEqual(['[EMAIL_1]', '[PHONE_1]', '[EMAIL_1]', '[EMAIL_1]']);
    expect(world.collector.requests).toEqual([]);

    await store.confirm();
    expect(store.preview).toBeNull();
    await store.whenIdle();

    const [post] = world.collector.requests;
    expect(world.collector.requests).toHaveLength(1);
    expect(post!.method).toBe('POST');
    expect(post!.url).toBe('http://localhost:8787/v1/bundles');
    expect(post!.body).toBe(preview.json);
    expect(post!.headers['content-type']).toBe('application/json');
    const record = store.bundles[0]!;
    expect(post!.headers.authorization).toBe(`Bearer ${record.withdrawalToken}`);
    expect(record).toMatchObject({ bundleId: preview.bundle.bundleId, status: 'sent', attempts: 1, conversationCount: 1, messageCount: 4, receipt: { receiptId: 'receipt-1' } });
    expect(record.body).toBe(preview.json);
    expect(checkBundle(JSON.parse(world.collector.stored.get(record.bundleId)!.body)).ok).toBe(true);
  });

  it('removing items rebuilds the preview: same bundle, fewer messages, placeholders renumbered; removing everything leaves none', async () => {
    world = new World();
    const store = await world.open();
    await store.optIn();
    const db = await openChatDb(world.dbName);
    const a = await writeConversation(db, 'A', [{ user: 'Mail ann@example.com', bot: 'ok' }]);
    const b = await writeConversation(db, 'B', [{ user: 'Mail bea@example.com', bot: 'sure' }, { user: 'bye', bot: 'bye' }]);
    db.close();
    await store.createPreview([a.id, b.id], { includeFeedback: false });
    const first = store.preview!;
    expect(first.items.map((i) => i.message ?? i.conversation)).toEqual(['c1', 'm1', 'm2', 'c2', 'm3', 'm4', 'm5', 'm6']);
    expect(first.items[0]!.label).toBe('2 messages: “Mail [EMAIL_1]”');
    expect(first.items[1]!.label).toBe('You: “Mail [EMAIL_1]”');

    await store.removeFromPreview({ conversation: 'c1', label: '' });
    const second = store.preview!;
    expect([second.bundle.bundleId, second.bundle.createdAt]).toEqual([first.bundle.bundleId, first.bundle.createdAt]);
    expect(second.bundle.conversations.map((c) => c.messages.map((m) => m.text))).toEqual([['Mail [EMAIL_1]', 'sure', 'bye', 'bye']]);
    expect(second.bundle.deidentification.counts).toEqual({ EMAIL: 1 });
    expect(second.bundle.consent.scope.conversationCount).toBe(1);

    await store.removeFromPreview({ conversation: 'c1', message: 'm1', label: '' });
    expect(store.preview!.bundle.conversations[0]!.messages.map((m) => [m.id, m.text])).toEqual([['m1', 'sure'], ['m2', 'bye'], ['m3', 'bye']]);
    expect(store.preview!.bundle.deidentification.counts).toEqual({});
    expect(store.preview!.json).not.toContain('EMAIL');

    for (const id of ['m1', 'm1', 'm1']) await store.removeFromPreview({ conversation: 'c1', message: id, label: '' });
    expect(store.preview).toBeNull();
    expect(store.error).toMatch(/You removed everything/);
    await store.confirm();
    expect(store.bundles).toEqual([]);
    expect(world.collector.requests).toEqual([]);
  });

  it('applies newly declared terms and a reset pseudonym to the open preview', async () => {
    world = new World();
    const db = await openChatDb(world.dbName);
    // Not "I work at Zorblatt": that cue alone makes it an INSTITUTION before anything is declared.
    const chat = await writeConversation(db, 'Work', [{ user: 'I use Zorblatt.', bot: 'ok' }]);
    db.close();
    const store = await world.open();
    await store.optIn();
    const donor = store.settings.donor;
    await store.createPreview([chat.id], { includeFeedback: true });
    expect(store.preview!.json).toContain('Zorblatt');

    await store.setDeclaredTerms([' Zorblatt ', 'zorblatt', '']);
    expect(store.settings.declaredTerms).toEqual(['Zorblatt']);
    expect(store.preview!.json).not.toContain('Zorblatt');
    expect(store.preview!.bundle.conversations[0]!.messages[0]!.text).toBe('I use [DECLARED_TERM_1].');

    await store.resetDonor();
    expect(store.settings.donor).not.toBe(donor);
    expect(store.settings.donor).toMatch(/^donor-[0-9a-f]{16}$/);
    expect(store.preview!.bundle.donor).toBe(store.settings.donor);
    const reloaded = await world.open();
    expect(reloaded.settings.donor).toBe(store.settings.donor);
    expect(reloaded.settings.declaredTerms).toEqual(['Zorblatt']);
  });

  it('refuses an unacceptable collector address and keeps the last good one', async () => {
    world = new World();
    const store = await world.open();
    expect(await store.setEndpoint('http://collector.example.org')).toMatch(/Use https:\/\//);
    expect(store.settings.endpoint).toBe('http://localhost:8787');
    expect(await store.setEndpoint('https://collector.example.org/')).toBeNull();
    expect(store.settings.endpoint).toBe('https://collector.example.org');
    expect((await world.open()).settings.endpoint).toBe('https://collector.example.org');
  });

  it('keeps the preview and says to free space when the outbox cannot be written', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    await store.optIn();
    await store.createPreview([chat.id], { includeFeedback: true });
    const spy = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await store.confirm();
    spy.mockRestore();
    expect(store.error).toMatch(/storage for this app is full\. Delete a downloaded model under Models, or free disk space.*Nothing was lost/);
    expect(store.preview).not.toBeNull();
    expect(store.bundles).toEqual([]);
    await store.confirm();
    await store.whenIdle();
    expect(store.bundles[0]!.status).toBe('sent');
  });
});

describe('the outbox', () => {
  it('offline, then back online: delivered exactly once', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    world.collector.answer = () => 'network-error';
    const { record } = await donate(store, chat.id);
    await store.whenIdle();

    const waiting = store.bundles[0]!;
    expect(waiting).toMatchObject({ bundleId: record.bundleId, status: 'queued', attempts: 1, nextAttemptAt: world.clock + 5_000 });
    expect(waiting.lastError).toBe('The collector could not be reached (offline?) — will try again in 5 seconds.');
    expect(world.scheduler.active()?.delayMs).toBe(5_000);

    world.collector.answer = null;
    world.goOnline();
    await store.whenIdle();
    expect(store.bundles[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(store.bundles[0]!.lastError).toBeUndefined();
    // No timer is left, and nothing else makes it go again.
    expect(world.scheduler.active()).toBeUndefined();
    world.goOnline();
    await store.whenIdle();
    expect(world.collector.posts()).toHaveLength(2);
    expect(world.collector.stored.size).toBe(1);
  });

  it('retries on its timer with growing delays while the collector is down, then gets through', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    world.collector.answer = () => new Response('down', { status: 503 });
    await donate(store, chat.id);
    await store.whenIdle();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const timer = world.scheduler.active()!;
      delays.push(timer.delayMs);
      world.clock += timer.delayMs;
      world.scheduler.fire();
      await store.whenIdle();
    }
    expect(delays).toEqual([5_000, 10_000, 20_000]);
    expect(store.bundles[0]).toMatchObject({ status: 'queued', attempts: 4 });

    world.collector.answer = null;
    world.clock += world.scheduler.active()!.delayMs;
    world.scheduler.fire();
    await store.whenIdle();
    expect(store.bundles[0]).toMatchObject({ status: 'sent', attempts: 5 });
    expect(world.collector.posts()).toHaveLength(5);
  });

  it('a timer that fires early sends nothing before the bundle is due', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    world.collector.answer = () => new Response(null, { status: 429, headers: { 'Retry-After': '60' } });
    await donate(store, chat.id);
    await store.whenIdle();
    expect(world.scheduler.active()?.delayMs).toBe(60_000);
    world.scheduler.fire();
    await store.whenIdle();
    expect(world.collector.posts()).toHaveLength(1);
  });

  it('a refused bundle fails with the collector\'s reason and is sent again only when the user retries', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    world.collector.answer = () => Response.json({ error: 'The bundle does not match the donation schema.', problems: ['/modelId: must be shorter'] }, { status: 422 });
    const { record } = await donate(store, chat.id);
    await store.whenIdle();
    expect(store.bundles[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(store.bundles[0]!.lastError).toMatch(/HTTP 422\): The bundle does not match the donation schema — \/modelId: must be shorter/);
    expect(world.scheduler.active()).toBeUndefined();
    world.goOnline();
    await store.whenIdle();
    expect(world.collector.posts()).toHaveLength(1);

    world.collector.answer = null;
    await store.retry(record.bundleId);
    await store.whenIdle();
    expect(store.bundles[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(world.collector.posts()).toHaveLength(2);
  });

  it('resumes after a reload: queued bundles and one cut off mid-send are sent by the next start', async () => {
    world = new World();
    const chat = await world.seedChat();
    const first = await world.open();
    world.collector.answer = () => 'network-error';
    const { record: queued } = await donate(first, chat.id);
    await first.whenIdle();
    first.close();

    // A tab closed while this one was on its way.
    const db = await openChatDb(world.dbName);
    const cutOff: DonationRecord = { ...queued, bundleId: crypto.randomUUID(), createdAt: queued.createdAt + 1, status: 'sending', attempts: 0, withdrawalToken: 'other-token' };
    await db.put('donations', { ...cutOff, body: cutOff.body.replace(queued.bundleId, cutOff.bundleId) });
    db.close();

    world.collector.answer = null;
    world.clock += 60_000;
    const second = await world.open();
    await second.whenIdle();
    expect(second.bundles.map((b) => [b.bundleId, b.status])).toEqual([[cutOff.bundleId, 'sent'], [queued.bundleId, 'sent']]);
    expect(world.collector.stored.size).toBe(2);
    expect(world.collector.posts()).toHaveLength(3);
  });
});

describe('withdrawing', () => {
  it('a sent bundle: DELETE with its token, then marked withdrawn', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    const { record } = await donate(store, chat.id);
    await store.whenIdle();
    expect(world.collector.stored.has(record.bundleId)).toBe(true);

    world.clock += 1000;
    await store.withdraw(record.bundleId);
    const del = world.collector.requests.at(-1)!;
    expect(del.method).toBe('DELETE');
    expect(del.url).toBe(`http://localhost:8787/v1/bundles/${record.bundleId}`);
    expect(del.headers.authorization).toBe(`Bearer ${record.withdrawalToken}`);
    expect(world.collector.stored.has(record.bundleId)).toBe(false);
    expect(store.bundles[0]).toMatchObject({ status: 'withdrawn', withdrawnAt: world.clock });
    expect(store.error).toBeNull();
    expect((await world.open()).bundles[0]!.status).toBe('withdrawn');
  });

  it('a sent bundle while the collector cannot be reached: stays sent, and the user is told to try again', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    const { record } = await donate(store, chat.id);
    await store.whenIdle();
    world.collector.answer = () => 'network-error';
    await store.withdraw(record.bundleId);
    expect(store.bundles[0]!.status).toBe('sent');
    expect(store.error).toMatch(/Could not reach the collector to withdraw .*try again when you are online/);

    world.collector.answer = null;
    await store.withdraw(record.bundleId);
    expect(store.bundles[0]!.status).toBe('withdrawn');
    expect(world.collector.stored.size).toBe(0);
  });

  it('a queued bundle is never sent, whatever wakes the outbox later', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    world.online = false;
    const { record } = await donate(store, chat.id);
    await store.whenIdle();
    expect(store.bundles[0]).toMatchObject({ status: 'queued' });
    expect(world.collector.requests).toEqual([]);

    await store.withdraw(record.bundleId);
    expect(store.bundles[0]).toMatchObject({ status: 'withdrawn', withdrawnAt: world.clock });
    world.goOnline();
    world.clock += 3_600_000;
    await store.whenIdle();
    await world.open().then((reloaded) => reloaded.whenIdle());
    expect(world.collector.posts()).toEqual([]);
    expect(world.collector.stored.size).toBe(0);
  });

  it('opting out cancels what was not sent, keeps what was (still withdrawable), and stops sending', async () => {
    world = new World();
    const chat = await world.seedChat();
    const store = await world.open();
    const { record: sent } = await donate(store, chat.id);
    await store.whenIdle();
    world.collector.answer = () => new Response(null, { status: 503 });
    world.clock += 1000;
    const { record: queued } = await donate(store, chat.id);
    await store.whenIdle();
    expect(store.bundles.map((b) => b.status)).toEqual(['queued', 'sent']);

    await store.optOut();
    expect(store.settings).toMatchObject({ enabled: false, consentGivenAt: null });
    expect(store.bundles.map((b) => [b.bundleId, b.status])).toEqual([[queued.bundleId, 'withdrawn'], [sent.bundleId, 'sent']]);
    world.collector.answer = null;
    world.goOnline();
    await store.whenIdle();
    expect(world.collector.posts()).toHaveLength(2);

    await store.withdraw(sent.bundleId);
    expect(store.bundles.find((b) => b.bundleId === sent.bundleId)!.status).toBe('withdrawn');
    expect(world.collector.stored.size).toBe(0);
  });
});
