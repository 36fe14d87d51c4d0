import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, sendMessage } from './app';

/**
 * Issue 17: one scale and one wording for scores. Reply badges used to read "__not_ok__ 0.25"
 * or "untrained" and Look inside "Safety safe 0.00". Now the badge says "Good reply 73%" /
 * "Weak reply 25%", and only an opened Look inside (and the exports) show the BB3x labels, next
 * to the same number in words.
 */

const botMessages = (page: Page) => page.locator('article[data-role="assistant"]');
const RAW_LABEL = /__(not_)?ok__|__(un)?safe__/;

async function sendAndWait(page: Page, text: string): Promise<void> {
  const replies = await botMessages(page).count();
  await sendMessage(page, text);
  await expect(botMessages(page)).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
}

/** Settings opens as a dialog over the chat. */
async function openSettings(page: Page): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  if (!(await dialog.isVisible())) await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(dialog).toBeVisible();
}

/** Esc closes the dialog; the field edited last is saved first. */
async function closeSettings(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toHaveCount(0);
}

async function setNumber(page: Page, label: string, value: number): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.fill(String(value));
  await input.press('Tab');
}

/** No raw label anywhere on screen, and no bare "untrained" in the chat. */
async function expectNoRawLabels(page: Page): Promise<void> {
  await expect(page.getByTestId('look-inside')).toHaveCount(0);
  expect(await page.locator('body').innerText()).not.toMatch(RAW_LABEL);
  for (const text of await botMessages(page).allInnerTexts()) expect(text).not.toMatch(/untrained/i);
}

test('scores read as words and percentages; the BB3x label shows only in Look inside, with the same number', async ({ page }) => {
  test.setTimeout(300_000);
  await openReadyApp(page);
  await openSettings(page);
  await setNumber(page, 'Max new tokens', 8);
  await closeSettings(page);

  // Before any rating the badge says so in words.
  await sendAndWait(page, 'Hello');
  await expect(lastBotMessage(page).getByTestId('reward-badge')).toHaveText(/No estimate yet — rate replies to teach it$/);
  await expectNoRawLabels(page);

  // A rating teaches the personal reward model; wait until it has learned from it.
  await lastBotMessage(page).getByRole('button', { name: 'Good reply' }).click();
  await openSettings(page);
  await expect(page.getByTestId('reward-training-count')).toContainText('learned from 1 rating', { timeout: 60_000 });
  await setNumber(page, 'Best of N', 2);
  await closeSettings(page);

  await sendAndWait(page, 'Tell me something about music');
  const reply = lastBotMessage(page);
  const badge = reply.getByTestId('reward-badge');
  await expect(badge).toHaveText(/(Good|Weak) reply \d+%$/);
  const [, verdict, percent] = /(Good|Weak) reply (\d+)%/.exec(await badge.innerText())!;
  const ok = Number(percent);
  expect(verdict === 'Good' ? ok >= 50 : ok < 50).toBe(true);
  await expectNoRawLabels(page);

  // Look inside: the same words and number, with the BB3x label as the exports write it.
  await reply.getByRole('button', { name: 'Look inside' }).click();
  const inside = reply.getByTestId('look-inside');
  const label = verdict === 'Good' ? `__ok__ ${(ok / 100).toFixed(2)}` : `__not_ok__ ${((100 - ok) / 100).toFixed(2)}`;
  await expect(inside).toContainText(`${verdict} reply ${ok}% (${label})`);
  await expect(inside).toContainText(/Safety check: passed \((<1|\d+)% unsafe; __safe__ \d\.\d\d\)/);
  await expect(inside.getByTestId('candidate')).toHaveCount(2);
  for (const candidate of await inside.getByTestId('candidate-reward').all()) {
    await expect(candidate).toHaveText(/^(Good|Weak) reply \d+% \(__(not_)?ok__ \d\.\d\d\)$/);
  }
  const insideText = await inside.innerText();
  const [, unsafe] = /Safety check: passed \(((?:<1|\d+)% unsafe)/.exec(insideText)!;
  await reply.getByRole('button', { name: 'Look inside' }).click();
  await expectNoRawLabels(page);

  // Your feedback shows what the models said of a rated reply, in the badge's words.
  await reply.getByRole('button', { name: 'Good reply' }).click();
  await page.getByRole('button', { name: 'Your feedback' }).click();
  const messageId = ((await reply.getAttribute('id')) ?? '').replace(/^message-/, '');
  const item = page.locator(`[data-testid="feedback-item"][data-message-id="${messageId}"]`);
  await expect(item.getByTestId('feedback-scores')).toHaveText(`${verdict} reply ${ok}% · Safety check: passed (${unsafe})`);
  await expect(page.getByTestId('feedback-item')).toHaveCount(2);
  expect(await page.locator('body').innerText()).not.toMatch(RAW_LABEL);
});
