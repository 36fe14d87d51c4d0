import { expect, test } from '@playwright/test';
import { botText, lastBotMessage, openReadyApp, prefillFigures, sendMessage, setMaxNewTokens, waitForRewardModels, waitForStreamedText } from './app';

test('a new user says Hello, watches the reply stream in, and sees its metrics', async ({ page, baseURL }) => {
  // Every request, the workers' included, must stay on the app's origin (blob: URLs of the
  // origin are in-memory, not network).
  const foreign: string[] = [];
  const appOrigin = new URL(baseURL!).origin;
  page.context().on('request', (request) => {
    if (new URL(request.url()).origin !== appOrigin) foreign.push(request.url());
  });

  expect(await openReadyApp(page)).toBe('wasm');
  await expect(page.getByRole('note')).toContainText('Untrained');
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await setMaxNewTokens(page, 64);

  // The safety filter checks the message beside the reply's prefill, and holds the reply's text
  // back until it has: with its models still loading, a short reply would show all at once.
  await waitForRewardModels(page);

  // Record every text the reply shows while it streams.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { streamedTexts: string[] }).streamedTexts = seen;
    new MutationObserver(() => {
      const reply = document.querySelector('article[data-role="assistant"][data-status="streaming"] .content');
      const text = reply?.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  await sendMessage(page, 'Hello');
  await expect(page.locator('article[data-role="user"]')).toHaveText(/Hello/);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');

  // The worker hands text over token by token (at most one render a frame): two growing texts
  // before the end prove the reply streamed.
  const streamed = await page.evaluate(() => (window as unknown as { streamedTexts: string[] }).streamedTexts);
  expect(streamed.length).toBeGreaterThanOrEqual(2);
  expect(streamed[streamed.length - 1]!.length).toBeGreaterThan(streamed[0]!.length);
  expect((await botText(page)).length).toBeGreaterThan(0);

  const metrics = lastBotMessage(page).getByTestId('metrics');
  await expect(metrics).toContainText('WASM · q8');
  await expect(metrics).toContainText(/first token \d+ ms/);
  await expect(metrics).toContainText(/\d+\.\d tok\/s/);
  await expect(page.getByRole('navigation', { name: 'Conversations' })).toContainText('Hello');
  expect(foreign).toEqual([]);
});

test('stopping mid-reply keeps the partial text, and a reload keeps the conversation', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 2000);
  await sendMessage(page, 'Tell me a long story');
  await waitForStreamedText(page, 20);
  await page.getByRole('button', { name: 'Stop' }).click();

  const reply = lastBotMessage(page);
  await expect(reply).toHaveAttribute('data-status', 'partial');
  await expect(reply.getByTestId('message-status')).toHaveText('Stopped — reply incomplete');
  const kept = await botText(page);
  expect(kept.length).toBeGreaterThanOrEqual(20);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  await page.reload();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
  await expect(page.locator('article[data-role="user"]')).toHaveText(/Tell me a long story/);
  await expect(lastBotMessage(page).getByTestId('message-status')).toHaveText('Stopped — reply incomplete');
  expect(await botText(page)).toBe(kept);
});

test('a second turn continues the same conversation and prefills only its new message and the template glue', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 16);
  await sendMessage(page, 'Hello');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await sendMessage(page, 'And again');
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(2);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  // "prefilled/prompt": the second turn runs only the template's glue and "And again" through the
  // model (14 ids, plus the reply's last id when it ended at the token limit), never the first
  // turn again, although the demo model's replies do not re-encode to the ids it generated.
  const { prefilled, prompt } = await prefillFigures(page);
  expect(prefilled).toBeGreaterThan(0);
  expect(prefilled).toBeLessThanOrEqual(15);
  expect(prompt).toBeGreaterThan(30);
});

test('closing the page mid-reply and opening it again shows the partial reply marked incomplete', async ({ context }) => {
  const page = await context.newPage();
  await openReadyApp(page);
  await setMaxNewTokens(page, 2000);
  await sendMessage(page, 'Keep talking');
  await waitForStreamedText(page, 30);
  // Give the periodic save (every 400 ms) time to write some of the stream.
  await page.waitForTimeout(1200);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'streaming');
  await page.close();

  const again = await context.newPage();
  await openReadyApp(again);
  const reply = lastBotMessage(again);
  await expect(reply).toHaveAttribute('data-status', 'partial');
  await expect(reply.getByTestId('message-status')).toHaveText('Interrupted — reply incomplete');
  expect((await botText(again)).length).toBeGreaterThan(0);
});

test('new conversation starts empty and the list lets the user switch back', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await sendMessage(page, 'First chat');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await page.getByRole('button', { name: '+ New conversation' }).click();
  await expect(page.locator('article')).toHaveCount(0);
  await sendMessage(page, 'Second chat');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');

  const list = page.getByRole('navigation', { name: 'Conversations' });
  await expect(list.getByRole('button')).toContainText(['+ New conversation', 'Second chat', 'First chat']);
  await list.getByRole('button', { name: 'First chat' }).click();
  await expect(page.locator('article[data-role="user"]')).toHaveText(/First chat/);
});
