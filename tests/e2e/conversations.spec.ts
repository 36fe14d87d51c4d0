import { expect, test, type Page } from '@playwright/test';
import { botText, closePanels, lastBotMessage, openPanel, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';

const conversationList = (page: Page) => page.getByRole('navigation', { name: 'Conversations' });
const listItem = (page: Page, title: string) => conversationList(page).getByRole('listitem').filter({ hasText: title });
const userMessages = (page: Page) => page.locator('article[data-role="user"]');
const botMessages = (page: Page) => page.locator('article[data-role="assistant"]');
const contentOf = async (article: ReturnType<Page['locator']>) => ((await article.locator('.content').textContent()) ?? '').replace('▍', '');

/** Opens the app with short replies (the demo model's text is random; length is all that costs). */
async function openWithShortReplies(page: Page): Promise<void> {
  await openReadyApp(page);
  await setMaxNewTokens(page, 10);
}

async function sendAndWait(page: Page, text: string): Promise<void> {
  const replies = await botMessages(page).count();
  await sendMessage(page, text);
  await expect(botMessages(page)).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

async function reloadReady(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
}

/**
 * Reloads without waiting for the model: reading, flipping versions, renaming and deleting need
 * only the stored data, and skipping the model load keeps these tests fast.
 */
async function reloadData(page: Page): Promise<void> {
  await page.reload();
  await expect(conversationList(page).getByRole('listitem').first()).toBeVisible();
}

/** Every message text stored in IndexedDB, read behind the app's back. */
function storedMessageTexts(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('feedback-chat');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = await new Promise<{ content: string }[]>((resolve, reject) => {
      const request = db.transaction('messages').objectStore('messages').getAll();
      request.onsuccess = () => resolve(request.result as { content: string }[]);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return all.map((m) => m.content);
  });
}

test('a regenerated reply keeps the earlier one, and both survive a reload', async ({ page }) => {
  await openWithShortReplies(page);
  await sendAndWait(page, 'Tell me a joke');
  const first = await botText(page);

  await lastBotMessage(page).getByRole('button', { name: 'Regenerate reply' }).click();
  const reply = lastBotMessage(page);
  await expect(reply.getByTestId('version')).toHaveText('2/2');
  await expect(reply).toHaveAttribute('data-status', 'complete');
  const second = await botText(page);
  // A new version replaces the reply in the thread; it is not appended after it.
  await expect(botMessages(page)).toHaveCount(1);
  await expect(userMessages(page)).toHaveCount(1);

  await reloadData(page);
  await expect(reply.getByTestId('version')).toHaveText('2/2');
  expect(await botText(page)).toBe(second);
  await reply.getByRole('button', { name: 'Previous version' }).click();
  await expect(reply.getByTestId('version')).toHaveText('1/2');
  await expect.poll(() => botText(page)).toBe(first);
  await expect(reply.getByRole('button', { name: 'Previous version' })).toHaveAttribute('aria-disabled', 'true');

  // The version looked at last is the one shown after the next reload.
  await reloadData(page);
  await expect(reply.getByTestId('version')).toHaveText('1/2');
  expect(await botText(page)).toBe(first);
  await reply.getByRole('button', { name: 'Next version' }).click();
  await expect.poll(() => botText(page)).toBe(second);
});

test('editing an earlier question branches; the old branch is kept and reachable after a reload', async ({ page }) => {
  await openWithShortReplies(page);
  await sendAndWait(page, 'Hello');
  await sendAndWait(page, 'Second question');
  const oldReplies = [await contentOf(botMessages(page).nth(0)), await contentOf(botMessages(page).nth(1))];

  const firstQuestion = userMessages(page).first();
  // Esc leaves the message as it was.
  await firstQuestion.getByRole('button', { name: 'Edit message' }).click();
  await page.getByLabel('Edited message').press('Escape');
  await expect(userMessages(page)).toHaveText([/Hello/, /Second question/]);

  await firstQuestion.getByRole('button', { name: 'Edit message' }).click();
  const field = page.getByLabel('Edited message');
  await expect(field).toBeFocused();
  await expect(field).toHaveValue('Hello');
  await field.fill('Hi there, edited');
  await field.press('Enter');
  // The new branch holds the edited question and a fresh reply; what followed the old one is not in it.
  await expect(userMessages(page)).toHaveText([/Hi there, edited/]);
  await expect(botMessages(page)).toHaveCount(1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await expect(firstQuestion.getByTestId('version')).toHaveText('2/2');

  await reloadReady(page);
  await expect(userMessages(page)).toHaveText([/Hi there, edited/]);
  await firstQuestion.getByRole('button', { name: 'Previous version' }).click();
  await expect(firstQuestion.getByTestId('version')).toHaveText('1/2');
  await expect(userMessages(page)).toHaveText([/Hello/, /Second question/]);
  await expect(botMessages(page)).toHaveCount(2);
  expect([await contentOf(botMessages(page).nth(0)), await contentOf(botMessages(page).nth(1))]).toEqual(oldReplies);

  // The edit was sent to the model as the thread it is in: continuing the old branch works too.
  await sendAndWait(page, 'Third question on the old branch');
  await expect(userMessages(page)).toHaveText([/Hello/, /Second question/, /Third question/]);
  // From the keyboard this time: the switcher is a pair of ordinary buttons.
  await firstQuestion.getByRole('button', { name: 'Next version' }).press('Enter');
  await expect(userMessages(page)).toHaveText([/Hi there, edited/]);
  await expect(firstQuestion.getByRole('button', { name: 'Next version' })).toBeFocused();
});

test('delete with undo restores the conversation exactly', async ({ page }) => {
  await openWithShortReplies(page);
  await sendAndWait(page, 'Keep this conversation');
  await page.getByRole('button', { name: '+ New conversation' }).click();
  await sendAndWait(page, 'Delete this one');
  const reply = await botText(page);

  await listItem(page, 'Delete this one').getByRole('button', { name: 'Delete conversation' }).click();
  await expect(listItem(page, 'Delete this one')).toHaveCount(0);
  await expect(page.locator('article')).toHaveCount(0);
  const notice = page.getByRole('status').filter({ hasText: 'Conversation deleted' });
  await expect(notice).toBeVisible();

  // The deleted item's button is gone; focus waits on Undo, so the keyboard can take it back.
  await expect(notice.getByRole('button', { name: 'Undo' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(notice).toHaveCount(0);
  await expect(conversationList(page).getByRole('listitem')).toHaveText([/Delete this one/, /Keep this conversation/]);
  // It was open when deleted, so it is open again, with its messages.
  await expect(conversationList(page).getByRole('button', { name: 'Delete this one' })).toHaveAttribute('aria-current', 'page');
  await expect(userMessages(page)).toHaveText([/Delete this one/]);
  expect(await botText(page)).toBe(reply);

  // Undone means undone: it is still there after the undo window and a reload.
  await page.waitForTimeout(9_000);
  await reloadData(page);
  await expect(conversationList(page).getByRole('listitem')).toHaveText([/Delete this one/, /Keep this conversation/]);
});

test('a deletion not undone is final, even when the page reloads during the undo window', async ({ page }) => {
  await openWithShortReplies(page);
  await sendAndWait(page, 'Keep this conversation');
  await page.getByRole('button', { name: '+ New conversation' }).click();
  await sendAndWait(page, 'Forget about this one');
  expect(await storedMessageTexts(page)).toContain('Forget about this one');

  await listItem(page, 'Forget about this one').getByRole('button', { name: 'Delete conversation' }).click();
  await expect(listItem(page, 'Forget about this one')).toHaveCount(0);

  // Reloading inside the window neither brings it back nor forgets the deletion. (No waiting
  // for the model here: the list and the notice come first, and the window is short.)
  await page.reload();
  await expect(conversationList(page).getByRole('listitem')).toHaveText([/Keep this conversation/]);
  const notice = page.getByRole('status').filter({ hasText: 'Conversation deleted' });
  await expect(notice).toBeVisible();
  await expect(notice).toHaveCount(0, { timeout: 15_000 });

  await reloadData(page);
  await expect(conversationList(page).getByRole('listitem')).toHaveText([/Keep this conversation/]);
  await expect(page.getByRole('status').filter({ hasText: 'Conversation deleted' })).toHaveCount(0);
  // Really deleted, not just hidden.
  const stored = await storedMessageTexts(page);
  expect(stored).toContain('Keep this conversation');
  expect(stored).not.toContain('Forget about this one');
});

test('renaming a conversation inline: Esc cancels, Enter saves, and the name persists', async ({ page }) => {
  await openWithShortReplies(page);
  await sendAndWait(page, 'Plans for the weekend');
  const list = conversationList(page);

  await listItem(page, 'Plans for the weekend').getByRole('button', { name: 'Rename conversation' }).click();
  const title = list.getByLabel('Conversation title');
  await expect(title).toBeFocused();
  await title.fill('Not this name');
  await title.press('Escape');
  await expect(list.getByRole('listitem')).toHaveText([/Plans for the weekend/]);

  await listItem(page, 'Plans for the weekend').getByRole('button', { name: 'Rename conversation' }).click();
  await title.fill('Weekend trip');
  await title.press('Enter');
  await expect(list.getByRole('listitem')).toHaveText([/Weekend trip/]);
  await expect(list.getByRole('button', { name: 'Weekend trip' })).toBeFocused();

  await reloadData(page);
  await expect(list.getByRole('button', { name: 'Weekend trip' })).toHaveAttribute('aria-current', 'page');
  await expect(list).not.toContainText('Plans for the weekend');
});

test('search finds a conversation by a word in one of its messages', async ({ page }) => {
  await openWithShortReplies(page);
  await sendAndWait(page, 'Hello');
  await sendAndWait(page, 'What do zebras eat?');
  await page.getByRole('button', { name: '+ New conversation' }).click();
  await sendAndWait(page, 'Another topic');
  const list = conversationList(page);
  await expect(list.getByRole('listitem')).toHaveText([/Another topic/, /Hello/]);

  const search = page.getByRole('searchbox', { name: 'Search conversations' });
  await search.fill('ZEBRAS');
  await expect(list.getByRole('listitem')).toHaveText([/Hello/]);
  await list.getByRole('button', { name: 'Hello', exact: true }).click();
  await expect(userMessages(page)).toHaveText([/Hello/, /zebras/]);

  await search.fill('giraffes');
  await expect(list.getByRole('listitem')).toHaveText([/No conversation matches “giraffes”/]);
  await search.fill('topic');
  await expect(list.getByRole('listitem')).toHaveText([/Another topic/]);
  await search.fill('');
  await expect(list.getByRole('listitem')).toHaveText([/Another topic/, /Hello/]);
});

test('each conversation keeps its own system prompt; new ones start from the default in settings', async ({ page }) => {
  await openWithShortReplies(page);
  await openSettings(page);
  const defaultPrompt = page.getByLabel('Default system prompt');
  await defaultPrompt.fill('Answer like a pirate.');
  await defaultPrompt.press('Tab');

  await openPanel(page, 'System prompt');
  const conversationPrompt = page.getByLabel('System prompt for this conversation');
  await expect(conversationPrompt).toHaveValue('Answer like a pirate.');
  await closePanels(page);
  await sendAndWait(page, 'Ahoy');
  await openPanel(page, 'System prompt');
  await conversationPrompt.fill('Answer in French.');
  // Closed with Esc straight after typing: the edit is kept all the same.
  await closePanels(page);
  await sendAndWait(page, 'Bonjour');
  // The model saw this conversation's prompt ("look inside" keeps the prompt as sent).
  const prompts = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open('feedback-chat');
      open.onsuccess = () => resolve(open.result);
    });
    return new Promise<string[]>((resolve) => {
      const request = db.transaction('messages').objectStore('messages').getAll();
      request.onsuccess = () => resolve((request.result as { role: string; createdAt: number; prompt?: string }[])
        .filter((m) => m.role === 'assistant').sort((a, b) => a.createdAt - b.createdAt).map((m) => m.prompt ?? ''));
    });
  });
  expect(prompts[0]).toContain('Answer like a pirate.');
  expect(prompts[1]).toContain('Answer in French.');
  expect(prompts[1]).not.toContain('pirate');

  await page.getByRole('button', { name: '+ New conversation' }).click();
  await openPanel(page, 'System prompt');
  await expect(conversationPrompt).toHaveValue('Answer like a pirate.');
  await reloadData(page);
  await openPanel(page, 'System prompt');
  await expect(conversationPrompt).toHaveValue('Answer in French.');
});

test('sampling settings have labelled fields, persist, and reset to the model defaults', async ({ page }) => {
  // Settings need no model: no waiting for it to load.
  await page.goto('/');
  await openSettings(page);
  const fields = { 'Temperature': '1.5', 'Top-p': '0.5', 'Top-k': '5', 'Max new tokens': '12', 'Repetition penalty': '1.3' };
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByLabel(label, { exact: true }).press('Tab');
  }
  // Out of range is clamped to what the model accepts.
  await page.getByLabel('Top-p', { exact: true }).fill('7');
  await page.getByLabel('Top-p', { exact: true }).press('Tab');
  await expect(page.getByLabel('Top-p', { exact: true })).toHaveValue('1');

  await reloadData(page);
  await openSettings(page);
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('1.5');
  await expect(page.getByLabel('Top-k', { exact: true })).toHaveValue('5');
  await expect(page.getByLabel('Repetition penalty', { exact: true })).toHaveValue('1.3');

  await page.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(page.getByLabel('Temperature', { exact: true })).toHaveValue('0.8');
  await expect(page.getByLabel('Top-p', { exact: true })).toHaveValue('0.95');
  await expect(page.getByLabel('Top-k', { exact: true })).toHaveValue('50');
  await expect(page.getByLabel('Max new tokens', { exact: true })).toHaveValue('256');
  await expect(page.getByLabel('Repetition penalty', { exact: true })).toHaveValue('1.1');
});
