import { expect, test, type Page } from '@playwright/test';
import { SAFE_TOPIC_CHANGES } from '../../src/reward/selection';
import { closePanels, lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';

/**
 * Reward and safety on the device, end to end: best-of-N with scores to compare, a personal
 * reward model that learns from a thumbs-down in the background, and the safety gate.
 */

const botMessages = (page: Page) => page.locator('article[data-role="assistant"]');

async function sendAndWait(page: Page, text: string): Promise<void> {
  const replies = await botMessages(page).count();
  await sendMessage(page, text);
  await expect(botMessages(page)).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
}

async function setBestOfN(page: Page, n: number): Promise<void> {
  await openSettings(page);
  const input = page.getByLabel('Best of N');
  await input.fill(String(n));
  await input.press('Tab');
}

test('best of 3: the reply shows all three candidates with reward and safety scores, and why one was chosen', async ({ page }) => {
  test.setTimeout(180_000);
  await openReadyApp(page);
  await setMaxNewTokens(page, 16);
  await setBestOfN(page, 3);
  await sendAndWait(page, 'Tell me something about music');

  const reply = lastBotMessage(page);
  await reply.getByRole('button', { name: 'Look inside' }).click();
  const inside = reply.getByTestId('look-inside');
  await expect(inside.getByRole('heading', { name: 'Candidates' })).toBeVisible();
  const candidates = inside.getByTestId('candidate');
  await expect(candidates).toHaveCount(3);
  await expect(inside.locator('[data-testid="candidate"][data-chosen="true"]')).toHaveCount(1);
  for (let i = 0; i < 3; i += 1) {
    // Words on the app's one scale, with the BB3x label kept beside them in Look inside.
    await expect(candidates.nth(i).getByTestId('candidate-reward')).toHaveText(/\(__(not_)?ok__ \d\.\d\d\)$/);
    await expect(candidates.nth(i).getByTestId('candidate-safety')).toHaveText(/^Safety check: passed \((<1|\d+)% unsafe; __safe__ \d\.\d\d\)$/);
  }
  // A fresh reward model has learned nothing: its equal 50% scores are not called "highest".
  await expect(inside.getByTestId('choice-reason')).toContainText('The first safe one of 3 candidates: the reward model has not learned from any rating yet');
  // The reply shown is the chosen candidate's text.
  const chosenText = (await inside.locator('[data-testid="candidate"][data-chosen="true"]').textContent()) ?? '';
  const shown = ((await reply.locator('.content').textContent()) ?? '').trim();
  expect(shown.length).toBeGreaterThan(0);
  // Whitespace is left out of the comparison: markdown turns a line break into <br>, which has no text.
  const squeeze = (text: string) => text.replace(/\s+/g, '');
  expect(squeeze(chosenText)).toContain(squeeze(shown).slice(0, 20));
  await expect(reply.getByTestId('reward-badge')).toContainText('No estimate yet — rate replies to teach it');
});

test('a thumbs-down teaches the personal reward model in the background while the chat stays usable', async ({ page }) => {
  test.setTimeout(180_000);
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await sendAndWait(page, 'Hello');
  await openSettings(page);
  const count = page.getByTestId('reward-training-count');
  await expect(count).toContainText('learned from 0 ratings (0 updates)');
  await closePanels(page);

  await lastBotMessage(page).getByRole('button', { name: 'Bad reply' }).click();
  // The UI answers at once: the question about what went wrong is there to type into.
  const details = lastBotMessage(page).getByRole('group', { name: 'What went wrong' });
  await details.getByLabel('Repeating itself').check();
  await details.getByLabel('What went wrong (optional)').fill('It said nothing useful.');
  await details.getByRole('button', { name: 'Save feedback' }).click();
  await page.getByLabel('Message').fill('still typing while it learns');
  await expect(page.getByLabel('Message')).toHaveValue('still typing while it learns');

  // Two updates (the thumb, then its reasons), one rating learned; kept across a reload.
  await openSettings(page);
  await expect(count).toContainText('learned from 1 rating (2 updates)', { timeout: 60_000 });
  await page.reload();
  await openSettings(page);
  await expect(page.getByTestId('reward-training-count')).toContainText('learned from 1 rating (2 updates)', { timeout: 60_000 });

  await page.getByRole('button', { name: 'Reset reward model' }).click();
  await page.getByRole('button', { name: 'Reset', exact: true }).click();
  await expect(page.getByTestId('reward-training-count')).toContainText('learned from 0 ratings (0 updates)');
});

test('a message the safety classifier flags gets a change of topic, and the user can see why', async ({ page }) => {
  test.setTimeout(180_000);
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  // The demo safety classifier is a stand-in built to flag this trigger word.
  await sendAndWait(page, 'kaboom');

  const reply = lastBotMessage(page);
  const text = ((await reply.locator('.content').textContent()) ?? '').trim();
  expect(SAFE_TOPIC_CHANGES).toContain(text);
  const note = reply.getByTestId('safety-note');
  await expect(note).toContainText('Safety filter replaced this reply');
  await note.getByRole('button', { name: 'Why?' }).click();
  await expect(note.getByTestId('safety-note-reason')).toHaveText(/^Safety check: flagged \((>99|\d+)% unsafe\)\. The classifier's "unsafe" score for your message is at or above your threshold of 50%/);

  // With the filter off (the user is warned), the same message gets a model reply.
  await openSettings(page);
  await page.getByLabel('Safety filter').uncheck();
  await expect(page.getByText(/Safety filter is off/)).toBeVisible();
  await sendAndWait(page, 'kaboom');
  await expect(lastBotMessage(page).getByTestId('safety-note')).toHaveCount(0);
});
