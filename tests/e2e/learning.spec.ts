import { expect, test, type Page } from '@playwright/test';
import { titleFromMessage } from '../../src/chat/conversation-title';
import { botText, closePanels, lastBotMessage, openReadyApp, openSettings, sendMessage } from './app';

/**
 * The personal generation adapter end to end (issue 18): replies rated down for one word teach
 * the model itself, in the browser's workers, and later replies to prompts it never saw contain
 * that word less often; Look inside shows the adapter at work; Settings says what it learned
 * from, and Reset forgets it. Greedy decoding keeps runs alike (the random-weight model's logits
 * are near ties, so two threads' rounding can still flip a token: the word is found, not fixed).
 */

const TRAIN = ['weather', 'music', 'cats', 'the sea', 'coffee', 'trains', 'gardens', 'winter'].map((t) => `Tell me about ${t}.`);
const HELD_OUT = ['books', 'cities', 'rivers', 'dinner'].map((t) => `Tell me about ${t}.`);

async function setNumber(page: Page, label: string, value: number): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(String(value));
  await input.press('Tab');
}

/** A reply to `prompt` in a conversation of its own, so every prompt has the same context before and after. */
async function replyTo(page: Page, prompt: string): Promise<string> {
  await page.getByRole('button', { name: '+ New conversation' }).click();
  await sendMessage(page, prompt);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  return botText(page);
}

/**
 * The "words" of a reply: whitespace-separated runs, a run that repeats one unit ("FLFLFL", the
 * random-weight demo model's favourite) counted as that unit. Two characters at least.
 */
const words = (text: string) =>
  text
    .split(/\s+/)
    .map((run) => /^(.{2,}?)\1+$/su.exec(run)?.[1] ?? run)
    .filter((w) => w.length >= 2);
const contains = (text: string, word: string) => text.includes(word);
const botMessages = (page: Page) => page.locator('article[data-role="assistant"]');

test('replies rated down for a word teach the model to say it less, on prompts it never saw', async ({ page }) => {
  test.setTimeout(240_000);
  await openReadyApp(page);
  await openSettings(page);
  await expect(page.getByTestId('adapter-status')).toHaveText('Nothing learned yet: rate replies to teach it.');
  // Greedy (temperature 0): the same prompt gets the same reply, so before and after compare.
  await setNumber(page, 'Temperature', 0);
  await setNumber(page, 'Repetition penalty', 2);
  await setNumber(page, 'Max new tokens', 48);
  await closePanels(page);

  const before: string[] = [];
  for (const prompt of HELD_OUT) before.push(await replyTo(page, prompt));
  // Eight training prompts, each in a conversation of its own, rated once all are written.
  const trained: string[] = [];
  for (const prompt of TRAIN) trained.push(await replyTo(page, prompt));
  // The word the replies share most, in training and held-out replies alike: the one a user tired
  // of it would rate down. (The random-weight model's near-tied logits make the exact greedy
  // replies vary a little between runs, so the word is found, not fixed.)
  const count = (texts: string[], w: string) => texts.filter((text) => contains(text, w)).length;
  const candidates = [...new Set([...before, ...trained].flatMap(words))];
  const score = (w: string) => Math.min(count(before, w), count(trained, w));
  const word = candidates.sort((a, b) => score(b) - score(a) || b.length - a.length)[0] ?? '';
  const heldOutBefore = count(before, word);
  const seen = `"${word}" in training replies ${JSON.stringify(trained)}; held out: ${JSON.stringify(before)}`;
  expect(heldOutBefore, seen).toBeGreaterThanOrEqual(2);
  expect(count(trained, word), seen).toBeGreaterThanOrEqual(2);

  const list = page.getByRole('navigation', { name: 'Conversations' });
  for (const [i, text] of trained.entries()) {
    await list.getByRole('button', { name: titleFromMessage(TRAIN[i]!), exact: true }).click();
    await expect(botMessages(page)).toHaveCount(1);
    await lastBotMessage(page).getByRole('button', { name: contains(text, word) ? 'Bad reply' : 'Good reply' }).click();
  }

  await openSettings(page);
  await expect(page.getByTestId('adapter-status')).toHaveText(/^Learned from 8 rated replies · just now$/, { timeout: 120_000 });
  await closePanels(page);

  const after: string[] = [];
  for (const prompt of HELD_OUT) after.push(await replyTo(page, prompt));
  const heldOutAfter = after.filter((text) => contains(text, word)).length;
  expect(heldOutAfter, `"${word}" before: ${JSON.stringify(before)} after: ${JSON.stringify(after)}`).toBeLessThan(heldOutBefore);

  // Look inside says the adapter shaped this reply, and from how many ratings.
  const reply = lastBotMessage(page);
  await reply.getByRole('button', { name: 'Look inside' }).click();
  await expect(reply.getByTestId('look-inside')).toContainText(/Learned from your feedback\s*Its tokens \d+\.\d\d× as likely with what it learned \(.+% vs .+% a token; learned from 8 rated replies\)/);

  // Reset forgets it: nothing learned, and the next reply is the model's own again.
  await openSettings(page);
  await page.getByRole('button', { name: 'Reset what it learned' }).click();
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('adapter-status')).toHaveText('Nothing learned yet: rate replies to teach it.');
  await closePanels(page);
  await replyTo(page, HELD_OUT[0]!);
  await lastBotMessage(page).getByRole('button', { name: 'Look inside' }).click();
  await expect(lastBotMessage(page).getByTestId('look-inside')).toContainText('Not applied (nothing learned yet, or learning is off)');
});
