import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { DonationStore } from '../../../src/donation/donation-store.svelte';
import { openChatDb } from '../../../src/storage/db';
import { FakeCollector, ManualScheduler, writeConversation } from './support';

/** "What may remain": the store lists it with the preview, replaces or keeps it, and asks before sending it. */

let count = 0;
const stores: DonationStore[] = [];
afterEach(() => stores.splice(0).forEach((store) => store.close()));

const ISSUE_TEXT = 'My mobile is 07700 900123 and I live in Springfield, IL 62704. My dog is Zquorbl, my locker code is 58213.';
/**
 * Several things the scan flags and the recognizers (which others keep improving) may or may not
 * replace: the tests work with whichever are still there, so a better recognizer breaks none.
 */
const RISKY_TURNS = [
  { user: 'My dog is Zquorbl, my locker code is 58213 and I work at Frobnitz Labs.', bot: 'Zquorbl and Frobnitz Labs, noted.' },
  { user: 'Ticket 48213977 came from Frobnitz Labs, says Zquorbl.', bot: 'Ticket 48213977 is open.' },
];

async function openWithChat(turns: { user: string; bot: string }[]) {
  const dbName = `donation-risks-${++count}`;
  const db = await openChatDb(dbName);
  const chat = await writeConversation(db, 'Hello', turns);
  db.close();
  const collector = new FakeCollector();
  const store = new DonationStore({ dbName, fetch: collector.fetch, schedule: new ManualScheduler().schedule, onlineEvents: new EventTarget(), isOnline: () => true });
  stores.push(store);
  await store.init();
  await store.optIn();
  await store.createPreview([chat.id], { includeFeedback: true });
  expect(store.error).toBeNull();
  return { store, collector, chat };
}

const listed = (store: DonationStore) => store.preview!.risks.map((risk) => risk.text);
const occurrences = (json: string, value: string) => json.split(value).length - 1;

describe('remaining risks in the preview', () => {
  it('lists whatever of the issue case is still in the bundle: the JSON never holds an unlisted one', async () => {
    const { store } = await openWithChat([{ user: ISSUE_TEXT, bot: 'Hello Zquorbl!' }]);
    const json = store.preview!.json;
    for (const value of ['07700 900123', 'Springfield', 'IL', '62704', 'Zquorbl', '58213']) {
      if (json.includes(value)) expect(listed(store)).toContain(value);
    }
  });

  it('finds something to check in a chat full of it', async () => {
    const { store } = await openWithChat(RISKY_TURNS);
    expect(store.preview!.risks.length).toBeGreaterThanOrEqual(2);
  });

  it('replaces a string everywhere in the bundle, in this bundle only, and keeps the choice across rebuilds', async () => {
    const { store, chat } = await openWithChat(RISKY_TURNS);
    const [risk] = store.preview!.risks;
    const value = risk!.text;
    expect(occurrences(store.preview!.json, value)).toBeGreaterThan(0);
    await store.replaceRisk(value);
    expect(store.error).toBeNull();
    expect(occurrences(store.preview!.json, value)).toBe(0);
    expect(store.preview!.json).toContain('[DECLARED_TERM_1]');
    expect(listed(store)).not.toContain(value);
    // A bundle-only choice: the user's list of words to always remove is unchanged.
    expect(store.settings.declaredTerms).toEqual([]);

    // Removing an item rebuilds the bundle: the replacement still holds.
    await store.removeFromPreview(store.preview!.items.find((item) => item.message === 'm4')!);
    expect(occurrences(store.preview!.json, value)).toBe(0);
    // A new preview starts afresh.
    await store.createPreview([chat.id], { includeFeedback: true });
    expect(occurrences(store.preview!.json, value)).toBeGreaterThan(0);
  });

  it('keeps a string as it is and stops listing it, also after a rebuild', async () => {
    const { store } = await openWithChat(RISKY_TURNS);
    const [kept, other] = listed(store);
    store.keepRisk(kept!);
    expect(listed(store)).not.toContain(kept);
    expect(store.preview!.json).toContain(kept);
    await store.setDeclaredTerms(['nothing-to-find']);
    expect(listed(store)).not.toContain(kept);
    expect(listed(store)).toContain(other);
  });

  it('does not send while something is listed, unless the user chose to send anyway', async () => {
    const { store, collector } = await openWithChat(RISKY_TURNS);
    const count = store.preview!.risks.length;
    await store.confirm();
    expect(store.error).toBe(`Check the ${count} items listed in the preview before sending: replace or keep each, or choose to send anyway.`);
    expect(store.bundles).toEqual([]);
    expect(store.preview).not.toBeNull();

    const json = store.preview!.json;
    await store.confirm({ despiteRisks: true });
    expect(store.error).toBeNull();
    await store.whenIdle();
    expect(store.bundles[0]).toMatchObject({ status: 'sent', messageCount: 4 });
    expect(collector.posts()[0]!.body).toBe(json);
  });

  it('sends without asking once everything listed was replaced or kept', async () => {
    const { store, collector } = await openWithChat(RISKY_TURNS);
    const replaced = listed(store)[0]!;
    await store.replaceRisk(replaced);
    for (const risk of store.preview!.risks) store.keepRisk(risk.text);
    expect(store.preview!.risks).toEqual([]);
    await store.confirm();
    await store.whenIdle();
    expect(store.bundles[0]!.status).toBe('sent');
    expect(occurrences(collector.posts()[0]!.body!, replaced)).toBe(0);
  });
});
