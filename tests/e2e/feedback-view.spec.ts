import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, sendMessage, setMaxNewTokens } from './app';
import { dumpDatabase } from './browser-storage';
import { DB_VERSION } from '../../src/storage/schema';

/**
 * The "Your feedback" view: list, filter, count, jump to the rated reply, delete (with undo),
 * delete everything (after asking), and the three training-data downloads. Ratings are written
 * straight into IndexedDB, so this tests the view and not the thumbs buttons.
 */

test.describe.configure({ timeout: 240_000 });

const feedbackItems = (page: Page) => page.getByTestId('feedback-item');
const heading = (page: Page) => page.getByRole('heading', { name: 'Your feedback', level: 2 });
const reasonCount = (page: Page, reason: string) => page.getByTestId('reason-counts').locator(`li[data-reason="${reason}"]`);
const botMessages = (page: Page) => page.locator('article[data-role="assistant"]');
const userMessages = (page: Page) => page.locator('article[data-role="user"]');
const conversationList = (page: Page) => page.getByRole('navigation', { name: 'Conversations' });

const COMMENT = 'It ignored my question.';
const BETTER_REPLY = 'Once upon a time, a fox found a brass key under the snow.';
const OTHER_MODEL = 'other-model-q4';
// Model output is untrusted: this must show as text, never run or become elements.
const HOSTILE_REPLY = 'Look <img src=x onerror="window.__pwned = true"> at **this** and <b>that</b>.';

interface Record_ {
  messageId: string;
  conversationId: string;
  rating: 'up' | 'down';
  reasons: string[];
  comment: string;
  betterResponse: string;
  createdAt: number;
  updatedAt: number;
  modelId?: string;
}

interface Seeded {
  conversationId: string;
  liked: string;
  disliked: string;
  modelId: string;
  records: Record_[];
}

async function sendAndWait(page: Page, text: string): Promise<void> {
  const replies = await botMessages(page).count();
  await sendMessage(page, text);
  await expect(botMessages(page)).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

/** Writes records into the app's database behind its back (the app must have opened it). */
function writeStores(page: Page, stores: Record<string, unknown[]>): Promise<void> {
  return page.evaluate(async (stores) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('feedback-chat');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const tx = db.transaction(Object.keys(stores), 'readwrite');
    for (const [name, records] of Object.entries(stores)) for (const record of records) tx.objectStore(name).put(record);
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, stores);
}

/** A second conversation, written directly: one question and one (hostile) reply by another model. */
function seededConversation(now: number) {
  const conversationId = 'seeded-conversation';
  return {
    conversationId,
    conversation: { id: conversationId, title: 'Seeded chat', createdAt: now, updatedAt: now, systemPrompt: '', currentLeafId: 'seeded-reply' },
    messages: [
      { id: 'seeded-question', conversationId, parentId: null, role: 'user', content: 'Say something', createdAt: now, updatedAt: now, status: 'complete' },
      { id: 'seeded-reply', conversationId, parentId: 'seeded-question', role: 'assistant', content: HOSTILE_REPLY, createdAt: now + 1, updatedAt: now + 1, status: 'complete', modelId: OTHER_MODEL },
    ],
  };
}

/**
 * A real two-turn conversation made in the UI, a second one written directly, and four ratings:
 * liked (real), disliked with two reasons, a comment and a better reply (real), disliked as rude
 * (other model), and liked on a reply that no longer exists.
 */
async function seedFeedback(page: Page): Promise<Seeded> {
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await sendAndWait(page, 'Hello there');
  await sendAndWait(page, 'Tell me a story');
  const replies = ((await dumpDatabase(page)).messages ?? [])
    .map(([, value]) => value as { id: string; conversationId: string; role: string; createdAt: number; modelId?: string })
    .filter((m) => m.role === 'assistant')
    .sort((a, b) => a.createdAt - b.createdAt);
  expect(replies).toHaveLength(2);
  const [liked, disliked] = replies as [typeof replies[0], typeof replies[0]];
  const modelId = liked.modelId ?? '';
  expect(modelId).not.toBe('');
  expect(modelId).not.toBe(OTHER_MODEL);

  const now = Date.now();
  const seeded = seededConversation(now);
  const base = { comment: '', betterResponse: '', reasons: [] as string[], createdAt: now };
  const records: Record_[] = [
    { ...base, messageId: liked.id, conversationId: liked.conversationId, rating: 'up', comment: 'Nice and short.', updatedAt: now + 1, modelId },
    { ...base, messageId: disliked.id, conversationId: disliked.conversationId, rating: 'down', reasons: ['off-topic', 'repeating'], comment: COMMENT, betterResponse: BETTER_REPLY, updatedAt: now + 2, modelId },
    { ...base, messageId: 'seeded-reply', conversationId: seeded.conversationId, rating: 'down', reasons: ['rude'], updatedAt: now + 3, modelId: OTHER_MODEL },
    { ...base, messageId: 'gone-reply', conversationId: 'gone-conversation', rating: 'up', updatedAt: now + 4 },
  ];
  await writeStores(page, { conversations: [seeded.conversation], messages: seeded.messages, feedback: records });
  await page.reload();
  await expect(conversationList(page).getByRole('button', { name: 'Seeded chat' })).toBeVisible();
  return { conversationId: liked.conversationId, liked: liked.id, disliked: disliked.id, modelId, records };
}

async function openFeedbackView(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Your feedback' }).click();
  await expect(heading(page)).toBeVisible();
}

async function download(page: Page, button: string): Promise<{ name: string; lines: unknown[] }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const text = await readFile(await file.path(), 'utf8');
  const lines = text.split('\n');
  expect(lines.pop(), 'the file ends with a newline').toBe('');
  return { name: file.suggestedFilename(), lines: lines.map((line) => JSON.parse(line) as unknown) };
}

const keysOf = (value: unknown) => Object.keys(value as object).sort();

test('lists, filters and counts feedback, shows a reply in its conversation, and deletes with undo', async ({ page }) => {
  const seeded = await seedFeedback(page);
  // The chat keeps its draft while the feedback view is shown.
  await page.getByLabel('Message').fill('A draft I am still writing');

  await openFeedbackView(page);
  await expect(heading(page)).toBeFocused();
  await expect(page.getByLabel('Message')).toBeHidden();
  await expect(feedbackItems(page)).toHaveCount(4);
  // Most recently rated first.
  expect(await feedbackItems(page).evaluateAll((items) => items.map((item) => item.getAttribute('data-rating')))).toEqual(['up', 'down', 'down', 'up']);

  // What each item shows.
  const explained = feedbackItems(page).filter({ hasText: COMMENT });
  await expect(explained).toHaveAttribute('data-rating', 'down');
  await expect(explained).toContainText('Disliked');
  await expect(explained).toContainText(seeded.modelId);
  await expect(explained).toContainText('Off-topic / ignoring me');
  await expect(explained).toContainText('Repeating itself');
  await expect(explained).toContainText(BETTER_REPLY);
  await expect(explained.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d{2}-\d{2}T/);
  const hostile = feedbackItems(page).filter({ hasText: OTHER_MODEL });
  // Raw HTML in a reply is shown as the text it is.
  await expect(hostile).toContainText('Look <img src=x onerror="window.__pwned = true"> at this and <b>that</b>.');
  await expect(hostile.locator('img, b, strong')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
  await expect(feedbackItems(page).filter({ hasText: 'Unknown model' })).toContainText('This reply is no longer stored.');

  // Counts per reason, over every model.
  await expect(reasonCount(page, 'off-topic')).toContainText('Off-topic / ignoring me');
  await expect(reasonCount(page, 'off-topic')).toContainText('1');
  await expect(reasonCount(page, 'repeating')).toContainText('1');
  await expect(reasonCount(page, 'rude')).toContainText('1');
  for (const reason of ['nonsensical', 'spam', 'other']) await expect(reasonCount(page, reason)).toContainText('0');

  // Filters narrow the list.
  const rating = page.getByLabel('Rating', { exact: true });
  const reason = page.getByLabel('Reason', { exact: true });
  const model = page.getByLabel('Model', { exact: true });
  await expect(rating.locator('option')).toHaveText(['All', 'Liked', 'Disliked']);
  await expect(reason.locator('option')).toHaveText(['Any reason', 'Off-topic / ignoring me', 'Nonsensical / incorrect', 'Rude / inappropriate', 'Looks like spam', 'Repeating itself', 'Other']);
  await expect(model.locator('option')).toHaveText(['Any model', ...[seeded.modelId, OTHER_MODEL].sort()]);

  await rating.selectOption({ label: 'Liked' });
  await expect(feedbackItems(page)).toHaveCount(2);
  await expect(page.locator('[data-testid="feedback-item"][data-rating="down"]')).toHaveCount(0);
  await rating.selectOption({ label: 'Disliked' });
  await expect(feedbackItems(page)).toHaveCount(2);
  await expect(page.locator('[data-testid="feedback-item"][data-rating="up"]')).toHaveCount(0);
  await reason.selectOption({ label: 'Rude / inappropriate' });
  await expect(feedbackItems(page)).toHaveCount(1);
  await expect(feedbackItems(page)).toContainText(OTHER_MODEL);
  await rating.selectOption({ label: 'Liked' });
  await expect(feedbackItems(page)).toHaveCount(0);
  await expect(page.getByText('Nothing matches these filters.')).toBeVisible();
  await rating.selectOption({ label: 'All' });
  await reason.selectOption({ label: 'Any reason' });
  await model.selectOption(OTHER_MODEL);
  await expect(feedbackItems(page)).toHaveCount(1);
  // The counts follow the model filter.
  await expect(reasonCount(page, 'rude')).toContainText('1');
  await expect(reasonCount(page, 'off-topic')).toContainText('0');
  await expect(reasonCount(page, 'repeating')).toContainText('0');
  await model.selectOption(seeded.modelId);
  await expect(feedbackItems(page)).toHaveCount(2);
  await expect(reasonCount(page, 'off-topic')).toContainText('1');
  await expect(reasonCount(page, 'rude')).toContainText('0');
  await model.selectOption({ label: 'Any model' });
  await expect(feedbackItems(page)).toHaveCount(4);

  // A reply that is gone cannot be shown: the view says so and stays.
  await feedbackItems(page).filter({ hasText: 'Unknown model' }).getByRole('button', { name: 'Show in conversation' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'This reply is no longer in your conversations' })).toBeVisible();
  await expect(heading(page)).toBeVisible();

  // "Show in conversation" opens the conversation holding the reply (the seeded chat was open).
  await expect(conversationList(page).getByRole('button', { name: 'Seeded chat' })).toHaveAttribute('aria-current', 'page');
  await explained.getByRole('button', { name: 'Show in conversation' }).click();
  await expect(heading(page)).toBeHidden();
  await expect(userMessages(page)).toHaveText([/Hello there/, /Tell me a story/]);
  await expect(page.locator(`article[data-message-id="${seeded.disliked}"]`)).toBeVisible();
  await expect(page.getByLabel('Message')).toHaveValue('A draft I am still writing');

  // Back in the view: delete one, undo it, delete it again.
  await openFeedbackView(page);
  await expect(feedbackItems(page)).toHaveCount(4);
  const rude = feedbackItems(page).filter({ hasText: OTHER_MODEL });
  await rude.getByRole('button', { name: 'Delete' }).click();
  await expect(feedbackItems(page)).toHaveCount(3);
  await expect(page.getByText('Feedback deleted.')).toBeVisible();
  const undo = page.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeFocused();
  expect((await dumpDatabase(page)).feedback!.map(([key]) => key)).not.toContain('seeded-reply');
  await undo.click();
  await expect(feedbackItems(page)).toHaveCount(4);
  await expect(page.getByText('Feedback deleted.')).toBeHidden();
  const restored = (await dumpDatabase(page)).feedback!.find(([key]) => key === 'seeded-reply')?.[1];
  expect(restored).toEqual(seeded.records[2]);
  await expect(reasonCount(page, 'rude')).toContainText('1');

  await feedbackItems(page).filter({ hasText: 'Unknown model' }).getByRole('button', { name: 'Delete' }).click();
  await expect(feedbackItems(page)).toHaveCount(3);
  await page.reload();
  await openFeedbackView(page);
  await expect(feedbackItems(page)).toHaveCount(3);

  // "Back to chat" returns to the chat as it was.
  await page.getByRole('button', { name: 'Back to chat' }).click();
  await expect(heading(page)).toBeHidden();
  await expect(page.getByLabel('Message')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Your feedback' })).toBeFocused();
});

test('exports download as JSONL in the KTO, DPO and BB3x shapes; delete all asks first', async ({ page }) => {
  const seeded = await seedFeedback(page);
  await openFeedbackView(page);
  await expect(feedbackItems(page)).toHaveCount(4);
  const day = /^feedback-(kto|dpo|bb3x)-\d{4}-\d{2}-\d{2}\.jsonl$/;

  // KTO: the three ratings whose replies are stored, each with its thumb.
  const kto = await download(page, 'Download KTO (JSONL)');
  expect(kto.name).toMatch(day);
  expect(kto.name.startsWith('feedback-kto-')).toBe(true);
  expect(kto.lines).toHaveLength(3);
  for (const line of kto.lines) expect(keysOf(line)).toEqual(['completion', 'label', 'prompt']);
  expect(kto.lines.map((line) => (line as { label: boolean }).label).sort()).toEqual([false, false, true]);
  await expect(page.getByRole('status').filter({ hasText: 'Saved 3 lines.' })).toBeVisible();

  // DPO: the disliked reply against what it should have said.
  const dpo = await download(page, 'Download DPO (JSONL)');
  expect(dpo.name.startsWith('feedback-dpo-')).toBe(true);
  expect(dpo.lines).toHaveLength(1);
  expect(keysOf(dpo.lines[0])).toEqual(['chosen', 'prompt', 'rejected']);
  expect((dpo.lines[0] as { chosen: Array<{ content: string }> }).chosen[0]!.content).toBe(BETTER_REPLY);
  await expect(page.getByRole('status').filter({ hasText: 'Saved 1 line.' })).toBeVisible();

  // BB3x: one line per conversation, with a new random user id on every export.
  const bb3x = await download(page, 'Download BB3x (JSONL)');
  expect(bb3x.name.startsWith('feedback-bb3x-')).toBe(true);
  expect(bb3x.lines).toHaveLength(2);
  for (const line of bb3x.lines) {
    const history = (line as { message_history: unknown[] }).message_history;
    expect(history.length).toBeGreaterThan(0);
    for (const message of history) {
      for (const key of ['text', 'sender', 'isLiked', 'isDisliked', 'dislike_type', 'isSafetyControlledResponse', 'reward']) {
        expect(message).toHaveProperty(key);
      }
    }
  }
  const real = bb3x.lines.find((line) => (line as { conversation_id: string }).conversation_id === seeded.conversationId) as {
    user_id: string;
    message_history: Array<{ sender: string; isLiked: boolean; isDisliked: boolean; dislike_type: string | null }>;
  };
  expect(real.message_history.map((m) => [m.sender, m.isLiked, m.isDisliked, m.dislike_type])).toEqual([
    ['human', false, false, null],
    ['bot', true, false, null],
    ['human', false, false, null],
    ['bot', false, true, 'off_topic'],
  ]);
  await expect(page.getByRole('status').filter({ hasText: 'Saved 2 lines.' })).toBeVisible();
  const again = await download(page, 'Download BB3x (JSONL)');
  const userIds = new Set([...bb3x.lines, ...again.lines].map((line) => (line as { user_id: string }).user_id));
  expect(userIds.size).toBe(2);

  // Delete all: asks, says how many, and only "Delete all" deletes.
  await page.getByRole('button', { name: 'Delete all feedback…' }).click();
  const confirm = page.getByRole('group', { name: 'Delete all feedback?' });
  await expect(confirm).toContainText('4 feedback items will be deleted');
  await expect(confirm).toContainText('cannot be undone');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('button', { name: 'Delete all feedback…' })).toBeFocused();
  await expect(feedbackItems(page)).toHaveCount(4);
  expect((await dumpDatabase(page)).feedback).toHaveLength(4);

  // Escape cancels too.
  await page.getByRole('button', { name: 'Delete all feedback…' }).click();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(feedbackItems(page)).toHaveCount(4);

  await page.getByRole('button', { name: 'Delete all feedback…' }).click();
  await confirm.getByRole('button', { name: 'Delete all', exact: true }).click();
  await expect(feedbackItems(page)).toHaveCount(0);
  await expect(page.getByText('No feedback yet.')).toBeVisible();
  expect((await dumpDatabase(page)).feedback).toEqual([]);
  await expect(page.getByRole('button', { name: 'Delete all feedback…' })).toBeDisabled();
  // The conversations themselves stay.
  expect((await dumpDatabase(page)).messages).toHaveLength(6);
});

test.describe('on a narrow screen', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('the feedback view opens from the drawer, fits the screen, and goes back to the chat', async ({ page }) => {
    await page.goto('/');
    // Wait until the app has made its database, then write a conversation and a rating into it.
    await expect(page.getByRole('navigation', { name: 'Conversations', includeHidden: true })).toBeAttached();
    await expect.poll(() => page.evaluate(async () => (await indexedDB.databases()).find((d) => d.name === 'feedback-chat')?.version)).toBe(DB_VERSION);
    const now = Date.now();
    const seeded = seededConversation(now);
    await writeStores(page, {
      conversations: [seeded.conversation],
      messages: seeded.messages,
      feedback: [{ messageId: 'seeded-reply', conversationId: seeded.conversationId, rating: 'down', reasons: ['rude', 'spam'], comment: 'x'.repeat(400), betterResponse: 'A much longer and kinder answer. '.repeat(10), createdAt: now, updatedAt: now, modelId: OTHER_MODEL }],
    });
    await page.reload();

    await page.getByRole('button', { name: 'Conversations', exact: true }).click();
    await expect(conversationList(page)).toBeVisible();
    await page.getByRole('button', { name: 'Your feedback' }).click();
    await expect(conversationList(page)).toBeHidden();
    await expect(heading(page)).toBeFocused();
    await expect(feedbackItems(page)).toHaveCount(1);
    await expect(reasonCount(page, 'spam')).toContainText('1');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.getByRole('button', { name: 'Download KTO (JSONL)' }).scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    await page.getByRole('button', { name: 'Back to chat' }).click();
    await expect(heading(page)).toBeHidden();
    await expect(page.getByLabel('Message')).toBeInViewport();
    await expect(page.getByRole('button', { name: 'Conversations', exact: true })).toBeFocused();

    // Picking a conversation in the drawer while the feedback view is open shows that chat.
    await page.getByRole('button', { name: 'Conversations', exact: true }).click();
    await page.getByRole('button', { name: 'Your feedback' }).click();
    await expect(heading(page)).toBeVisible();
    await page.getByRole('button', { name: 'Conversations', exact: true }).click();
    await conversationList(page).getByRole('button', { name: 'Seeded chat' }).click();
    await expect(heading(page)).toBeHidden();
    await expect(userMessages(page)).toHaveText([/Say something/]);
  });
});
