import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { encodeBackupJson } from '../../src/backup/backup-codec';
import { acceptableBackup, EVIL_COLLECTOR, mulberry32 } from '../support/backup-fuzz';
import { EVERY_FIELD } from '../support/backup-records';
import { lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';
import { dumpDatabase, wipeDatabase } from './browser-storage';

// Each test loads the app (and its model) several times; on a busy two-core machine that takes minutes.
test.describe.configure({ timeout: 240_000 });

async function chat(page: Page, text: string): Promise<void> {
  // Wait for the new reply, not the last one: until it appears the previous reply is last and
  // already complete (a rating clicked then lands on the wrong reply; seen once in CI).
  const replies = page.locator('article[data-role="assistant"]');
  const before = await replies.count();
  await sendMessage(page, text);
  await expect(replies).toHaveCount(before + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

async function exportBackup(page: Page): Promise<string> {
  await openSettings(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export backup' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^private-chat-backup-\d{4}-\d{2}-\d{2}\.json$/);
  return (await download.path())!;
}

async function importBackup(page: Page, file: string): Promise<void> {
  await openSettings(page);
  await page.getByLabel('Import backup file').setInputFiles(file);
}

async function reloadApp(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
}

test('backup → wipe → restore gives back identical data, and a second import changes nothing', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await chat(page, 'First chat');
  await chat(page, 'And a follow-up');
  await page.getByRole('button', { name: '+ New conversation' }).click();
  await chat(page, 'Second chat');
  const before = await dumpDatabase(page);
  expect(before.messages?.length).toBe(6);

  const file = await exportBackup(page);
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { format: string; schemaVersion: number; stores: Record<string, unknown[]> };
  expect(saved.format).toBe('private-chat-backup');
  expect(saved.schemaVersion).toBe(await page.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === 'feedback-chat')?.version));
  expect(Object.keys(saved.stores).sort()).toEqual(Object.keys(before).sort());

  await wipeDatabase(page);
  await reloadApp(page);
  await expect(page.getByText('No conversations yet.')).toBeVisible();

  await importBackup(page, file);
  await expect(page.getByRole('status').filter({ hasText: 'Backup imported' })).toContainText('0 updated');
  expect(await dumpDatabase(page)).toEqual(before);
  const list = page.getByRole('navigation', { name: 'Conversations' });
  await expect(list).toContainText('First chat');
  await expect(list).toContainText('Second chat');

  await importBackup(page, file);
  await expect(page.getByRole('status').filter({ hasText: 'Backup imported' })).toContainText('0 added, 0 updated');
  expect(await dumpDatabase(page)).toEqual(before);

  // The restored conversations are really there for the app, after a reload too.
  await reloadApp(page);
  await list.getByRole('button', { name: 'First chat' }).click();
  await expect(page.locator('article[data-role="user"]')).toHaveText([/First chat/, /And a follow-up/]);
});

test('a restore shows at once, without a reload: what the reward model learned, the feedback view and the donation list', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await chat(page, 'First chat');
  await lastBotMessage(page).getByRole('button', { name: 'Good reply' }).click();
  await chat(page, 'And a follow-up');
  await lastBotMessage(page).getByRole('button', { name: 'Bad reply' }).click();
  await openSettings(page);
  const learned = page.getByTestId('reward-training-count');
  await expect(learned).toContainText('learned from 2 ratings (2 updates)', { timeout: 60_000 });
  // A bundle sent earlier, as the outbox keeps it (sending one needs a collector; the list only reads the record).
  const sent = EVERY_FIELD.donation;
  await page.evaluate(async (record) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('feedback-chat');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise((resolve) => (db.transaction('donations', 'readwrite').objectStore('donations').put(record).onsuccess = resolve));
    db.close();
  }, sent);
  const file = await exportBackup(page);

  await wipeDatabase(page);
  await reloadApp(page);
  await openSettings(page);
  // The reward model is loaded, with nothing learned: the restore must reach a running model.
  await expect(page.getByTestId('reward-status')).toHaveText('Reward and safety models ready.', { timeout: 90_000 });
  await expect(learned).toContainText('learned from 0 ratings (0 updates)');

  await importBackup(page, file);
  await expect(page.getByRole('status').filter({ hasText: 'Backup imported' })).toContainText('0 updated');
  await expect(learned).toContainText('learned from 2 ratings (2 updates)');
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'Your feedback' }).click();
  await expect(page.getByRole('heading', { name: /^Rated replies/ })).toHaveText('Rated replies — 2');
  await page.getByRole('button', { name: 'Donate conversations' }).click();
  await expect(page.locator(`[data-testid="donation"][data-bundle-id="${sent.bundleId}"]`)).toHaveAttribute('data-status', 'sent');
  // The restored conversation shows its ratings too.
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: 'First chat' }).click();
  await expect(lastBotMessage(page).getByRole('button', { name: 'Bad reply' })).toHaveAttribute('aria-pressed', 'true');
});

test('a damaged or foreign file is refused with a clear message and nothing is lost', async ({ page }, testInfo) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await chat(page, 'Keep me');
  const before = await dumpDatabase(page);
  const cases: Array<[string, string, RegExp]> = [
    ['notes.json', 'this is not json', /not valid JSON/],
    ['other-app.json', JSON.stringify({ hello: 'world' }), /not a Private Chat backup/],
    ['from-the-future.json', '', /newer version of the app/],
  ];
  const good = JSON.parse(readFileSync(await exportBackup(page), 'utf8')) as { schemaVersion: number };
  cases[2]![1] = JSON.stringify({ ...good, schemaVersion: good.schemaVersion + 1 });

  for (const [name, content, message] of cases) {
    const file = testInfo.outputPath(name);
    writeFileSync(file, content);
    await importBackup(page, file);
    await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();
    expect(await dumpDatabase(page)).toEqual(before);
  }
  await reloadApp(page);
  await expect(page.locator('article[data-role="user"]')).toHaveText(/Keep me/);
});

/** Shows `title` and checks that exactly the messages of `thread` are there, each in its full view. */
async function expectConversationShown(page: Page, title: string, thread: string[]): Promise<void> {
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: title, exact: true }).click();
  const articles = page.locator('.chat article[data-message-id]');
  await expect(articles).toHaveCount(thread.length);
  for (const id of thread) await expect(page.locator(`article[data-message-id="${id}"]`)).toBeVisible();
  await expect(page.locator('article[data-status="unrendered"]')).toHaveCount(0);
}

test('a seeded fuzzed backup: every conversation shows in full, a damaged field blanks nothing, donation stays off', async ({ page }, testInfo) => {
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await openReadyApp(page);

  // A seeded file the app must accept, with a hostile donation part and a reply with odd but valid fields.
  const { file, expected } = acceptableBackup(mulberry32(2024), 'e2e');
  const first = expected[0]!;
  const odd = {
    ...EVERY_FIELD.message, id: 'e2e-odd', conversationId: first.id, parentId: first.thread.at(-1)!, createdAt: 1_800_000_000_000, updatedAt: 1_800_000_000_000,
    content: '', status: 'partial' as const, stopReason: undefined, prompt: '', candidates: [], choiceReason: '', safetyNote: '',
    metrics: { ...EVERY_FIELD.message.metrics, decodeTokensPerSecond: 0, newTokens: 0, candidateCount: undefined },
    reward: { ok: 0, label: '__not_ok__' as const, trainingCount: 0 },
  };
  file.stores.messages!.push({ key: odd.id, value: odd });
  const firstRecord = file.stores.conversations!.find((c) => c.key === first.id)!;
  firstRecord.value = { ...(firstRecord.value as object), currentLeafId: odd.id };
  first.thread.push(odd.id);
  file.stores.settings = [
    ...(file.stores.settings ?? []).filter((r) => r.key !== 'donation'),
    { key: 'donation', value: { enabled: true, endpoint: EVIL_COLLECTOR, consentGivenAt: '2024-01-01T00:00:00.000Z', declaredTerms: [] } },
  ];
  file.stores.donations = [{ key: 'e2e-queued', value: { ...EVERY_FIELD.donation, bundleId: 'e2e-queued', status: 'queued', endpoint: EVIL_COLLECTOR } }];
  const path = testInfo.outputPath('fuzzed-backup.json');
  writeFileSync(path, encodeBackupJson(file));

  await importBackup(page, path);
  const status = page.getByRole('status').filter({ hasText: 'Backup imported' });
  await expect(status).toContainText('0 updated');
  await expect(page.getByTestId('backup-notes')).toContainText('A backup never turns donation on');
  await expect(page.getByTestId('backup-notes')).toContainText(`The backup names the collector ${EVIL_COLLECTOR}`);
  await expect(page.getByTestId('backup-notes')).toContainText('1 donation bundle from the backup had not been sent and was left out');
  // Settings opens over the chat: close it to reach the conversations.
  await page.keyboard.press('Escape');

  for (const { title, thread } of expected) await expectConversationShown(page, title, thread);
  await expectConversationShown(page, first.title, first.thread);
  await expect(page.locator(`article[data-message-id="${odd.id}"] [data-testid="metrics"]`)).toHaveText('WASM · q8 · first token 121 ms · 0.0 tok/s · 0 tokens (12/40 prompt tokens prefilled)');

  // A record damaged on the device (as the attack's `"metrics": {}` was) shows the rest of the conversation and itself.
  await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('feedback-chat');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const store = db.transaction('messages', 'readwrite').objectStore('messages');
    const message = await new Promise<Record<string, unknown>>((resolve) => {
      const get = store.get(id);
      get.onsuccess = () => resolve(get.result as Record<string, unknown>);
    });
    await new Promise((resolve) => (store.put({ ...message, content: 'damaged on the device', metrics: {}, reward: { ok: 'high' } }).onsuccess = resolve));
    db.close();
  }, odd.id);
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: expected[1]!.title, exact: true }).click();
  await expectConversationShown(page, first.title, first.thread);
  await expect(page.locator(`article[data-message-id="${odd.id}"]`)).toContainText('damaged on the device');

  // Donation is off, the imported address is only a suggestion, and nothing went to it.
  await page.getByRole('button', { name: 'Donate conversations' }).click();
  await expect(page.getByRole('button', { name: 'Turn on donation' })).toBeVisible();
  await expect(page.getByTestId('endpoint-suggestion')).toContainText(EVIL_COLLECTOR);
  await expect(page.getByTestId('donation')).toHaveCount(0);
  expect(requests.filter((url) => url.startsWith(EVIL_COLLECTOR))).toEqual([]);
});
