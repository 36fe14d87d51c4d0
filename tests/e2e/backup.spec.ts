import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';
import { dumpDatabase, wipeDatabase } from './browser-storage';

// Each test loads the app (and its model) several times; on a busy two-core machine that takes minutes.
test.describe.configure({ timeout: 240_000 });

async function chat(page: Page, text: string): Promise<void> {
  await sendMessage(page, text);
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
