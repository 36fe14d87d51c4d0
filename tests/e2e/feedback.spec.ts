import { readFile } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, sendMessage, setMaxNewTokens } from './app';
import { dumpDatabase } from './browser-storage';

/**
 * The whole feedback journey a user takes: rate replies, explain a thumbs-down, come back after
 * a reload, change their mind, turn it all into training files, and delete it again.
 */

const botMessages = (page: Page) => page.locator('article[data-role="assistant"]');
const goodButton = (reply: Locator) => reply.getByRole('button', { name: 'Good reply' });
const badButton = (reply: Locator) => reply.getByRole('button', { name: 'Bad reply' });
const feedbackItems = (page: Page) => page.getByTestId('feedback-item');

const BETTER_REPLY = 'Once upon a time, a fox found a brass key under the snow.';
const COMMENT = 'It ignored that I asked for a story.';

interface StoredReply {
  id: string;
  parentId: string | null;
  content: string;
  createdAt: number;
}

/** The bot replies as IndexedDB holds them, oldest first (the raw text the exports carry). */
async function storedReplies(page: Page): Promise<StoredReply[]> {
  const dump = await dumpDatabase(page);
  return (dump.messages ?? [])
    .map(([, value]) => value as StoredReply & { role: string })
    .filter((m) => m.role === 'assistant')
    .sort((a, b) => a.createdAt - b.createdAt);
}

async function sendAndWait(page: Page, text: string): Promise<void> {
  const replies = await botMessages(page).count();
  await sendMessage(page, text);
  await expect(botMessages(page)).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

/** Reloads and waits for the stored conversation (the model need not be ready to read it). */
async function reloadConversation(page: Page, replies: number): Promise<void> {
  await page.reload();
  await expect(botMessages(page)).toHaveCount(replies);
}

async function downloadExport(page: Page, button: string): Promise<{ name: string; records: Array<Record<string, unknown>> }> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: button }).click();
  const file = await download;
  const text = await readFile(await file.path(), 'utf8');
  const lines = text.split('\n');
  expect(lines.pop(), 'the file ends with a newline').toBe('');
  // Every line must be JSON on its own: that is what `load_dataset("json", …)` reads.
  return { name: file.suggestedFilename(), records: lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const keysOf = (value: unknown) => Object.keys(value as object).sort();

/** TRL's conversational form: a list of messages, each exactly {role, content}. */
function expectConversational(messages: unknown, roles?: string[]): Array<{ role: string; content: string }> {
  expect(Array.isArray(messages)).toBe(true);
  const list = messages as Array<{ role: string; content: string }>;
  for (const message of list) {
    expect(keysOf(message)).toEqual(['content', 'role']);
    expect(['system', 'user', 'assistant']).toContain(message.role);
    expect(typeof message.content).toBe('string');
  }
  if (roles) expect(list.map((m) => m.role)).toEqual(roles);
  return list;
}

test('rate, explain, reload, change, export and delete feedback', async ({ page }) => {
  test.setTimeout(240_000);
  await openReadyApp(page);
  await setMaxNewTokens(page, 12);
  await sendAndWait(page, 'Hello there');
  await sendAndWait(page, 'Tell me a story');
  const [firstReply, secondReply] = [botMessages(page).nth(0), botMessages(page).nth(1)];

  // Thumbs up on the first reply.
  await goodButton(firstReply).click();
  await expect(goodButton(firstReply)).toHaveAttribute('aria-pressed', 'true');
  await expect(badButton(firstReply)).toHaveAttribute('aria-pressed', 'false');

  // Thumbs down on the second, with two reasons, what went wrong and what it should have said.
  await badButton(secondReply).click();
  await expect(badButton(secondReply)).toHaveAttribute('aria-pressed', 'true');
  const details = secondReply.getByRole('group', { name: 'What went wrong' });
  await expect(details).toBeVisible();
  await details.getByLabel('Off-topic / ignoring me').check();
  await details.getByLabel('Repeating itself').check();
  await details.getByLabel('What went wrong (optional)').fill(COMMENT);
  await details.getByLabel('What it should have said (optional)').fill(BETTER_REPLY);
  await details.getByRole('button', { name: 'Save feedback' }).click();
  await expect(details).toBeHidden();
  // The explanation is feedback, not a chat turn: the model never sees it.
  await expect(page.locator('article[data-role="user"]')).toHaveCount(2);

  // After a reload, every part of it is still there.
  await reloadConversation(page, 2);
  await expect(goodButton(firstReply)).toHaveAttribute('aria-pressed', 'true');
  await expect(badButton(secondReply)).toHaveAttribute('aria-pressed', 'true');
  const summary = secondReply.getByTestId('feedback-summary');
  await expect(summary).toContainText('Off-topic / ignoring me');
  await expect(summary).toContainText('Repeating itself');
  await expect(summary).not.toContainText('Looks like spam');
  await expect(summary).toContainText(COMMENT);
  await expect(summary).toContainText(BETTER_REPLY);

  // Change a rating: the first reply goes from up to down (the invitation to explain can wait).
  await badButton(firstReply).click();
  await expect(badButton(firstReply)).toHaveAttribute('aria-pressed', 'true');
  await expect(goodButton(firstReply)).toHaveAttribute('aria-pressed', 'false');
  await firstReply.getByRole('button', { name: 'Not now' }).click();
  await expect(firstReply.getByRole('group', { name: 'What went wrong' })).toBeHidden();
  await reloadConversation(page, 2);
  await expect(badButton(firstReply)).toHaveAttribute('aria-pressed', 'true');
  await expect(goodButton(firstReply)).toHaveAttribute('aria-pressed', 'false');

  // A regenerated second reply, liked: with the disliked version it makes a DPO pair.
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
  await lastBotMessage(page).getByRole('button', { name: 'Regenerate reply' }).click();
  await expect(lastBotMessage(page).getByTestId('version')).toHaveText('2/2');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await goodButton(lastBotMessage(page)).click();
  await expect(goodButton(lastBotMessage(page))).toHaveAttribute('aria-pressed', 'true');

  const [reply1, reply2, reply2b] = await storedReplies(page);
  expect(reply2b!.parentId).toBe(reply2!.parentId);
  const labels = new Map([[reply1!.content, false], [reply2!.content, false], [reply2b!.content, true]]);

  // The feedback view lists the three ratings; the three exports download and parse.
  await page.getByRole('button', { name: 'Your feedback' }).click();
  await expect(page.getByRole('heading', { name: 'Your feedback' })).toBeVisible();
  await expect(feedbackItems(page)).toHaveCount(3);
  await expect(page.getByTestId('reason-counts').locator('li[data-reason="off-topic"]')).toContainText('1');
  await expect(page.getByTestId('reason-counts').locator('li[data-reason="repeating"]')).toContainText('1');

  const kto = await downloadExport(page, 'Download KTO (JSONL)');
  expect(kto.name).toMatch(/\.jsonl$/);
  expect(kto.records).toHaveLength(3);
  for (const record of kto.records) {
    expect(keysOf(record)).toEqual(['completion', 'label', 'prompt']);
    const completion = expectConversational(record.completion, ['assistant']);
    expect(labels.has(completion[0]!.content)).toBe(true);
    expect(record.label).toBe(labels.get(completion[0]!.content));
    const prompt = expectConversational(record.prompt);
    expect(prompt.at(-1)!.role).toBe('user');
  }
  // The context is the conversation up to the rated reply.
  const ktoSecond = kto.records.find((r) => (r.completion as Array<{ content: string }>)[0]!.content === reply2!.content)!;
  const ktoSecondPrompt = ktoSecond.prompt as Array<{ role: string; content: string }>;
  expect(ktoSecondPrompt.filter((m) => m.role !== 'system')).toEqual([
    { role: 'user', content: 'Hello there' },
    { role: 'assistant', content: reply1!.content },
    { role: 'user', content: 'Tell me a story' },
  ]);

  const dpo = await downloadExport(page, 'Download DPO (JSONL)');
  expect(dpo.records).toHaveLength(2);
  for (const record of dpo.records) {
    expect(keysOf(record)).toEqual(['chosen', 'prompt', 'rejected']);
    expectConversational(record.prompt);
    expectConversational(record.chosen, ['assistant']);
    expectConversational(record.rejected, ['assistant']);
    expect((record.rejected as Array<{ content: string }>)[0]!.content).toBe(reply2!.content);
  }
  const chosen = dpo.records.map((r) => (r.chosen as Array<{ content: string }>)[0]!.content).sort();
  expect(chosen).toEqual([BETTER_REPLY, reply2b!.content].sort());

  const bb3x = await downloadExport(page, 'Download BB3x (JSONL)');
  expect(bb3x.records).toHaveLength(1);
  const history = bb3x.records[0]!.message_history as Array<Record<string, unknown>>;
  // The conversation as shown: the liked regeneration is the version on screen.
  expect(history.map((m) => [m.sender, m.text])).toEqual([
    ['human', 'Hello there'],
    ['bot', reply1!.content],
    ['human', 'Tell me a story'],
    ['bot', reply2b!.content],
  ]);
  for (const message of history) {
    for (const key of ['text', 'sender', 'isLiked', 'isDisliked', 'dislike_type', 'isSafetyControlledResponse', 'reward']) {
      expect(message).toHaveProperty(key);
    }
  }
  expect(history[1]).toMatchObject({ isLiked: false, isDisliked: true });
  expect(history[3]).toMatchObject({ isLiked: true, isDisliked: false, dislike_type: null });

  // Delete one: the first reply's rating goes, the others stay, also after a reload.
  const downItems = page.locator('[data-testid="feedback-item"][data-rating="down"]');
  await expect(downItems).toHaveCount(2);
  await downItems.filter({ hasNotText: COMMENT }).getByRole('button', { name: 'Delete' }).click();
  await expect(feedbackItems(page)).toHaveCount(2);
  await page.reload();
  await page.getByRole('button', { name: 'Your feedback' }).click();
  await expect(feedbackItems(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Back to chat' }).click();
  await expect(botMessages(page)).toHaveCount(2);
  await expect(badButton(botMessages(page).nth(0))).toHaveAttribute('aria-pressed', 'false');
  await expect(goodButton(botMessages(page).nth(0))).toHaveAttribute('aria-pressed', 'false');

  // Delete all asks first; cancelling keeps everything.
  await page.getByRole('button', { name: 'Your feedback' }).click();
  await page.getByRole('button', { name: /Delete all feedback/ }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(feedbackItems(page)).toHaveCount(2);
  await page.getByRole('button', { name: /Delete all feedback/ }).click();
  await page.getByRole('button', { name: 'Delete all', exact: true }).click();
  await expect(feedbackItems(page)).toHaveCount(0);
  await expect(page.getByText('No feedback yet.')).toBeVisible();
  expect((await dumpDatabase(page)).feedback).toEqual([]);
  await page.getByRole('button', { name: 'Back to chat' }).click();
  await expect(goodButton(lastBotMessage(page))).toHaveAttribute('aria-pressed', 'false');
  // The conversations themselves are untouched.
  expect(await storedReplies(page)).toHaveLength(3);
});
