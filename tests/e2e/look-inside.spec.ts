import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';

async function setTemperature(page: Page, value: number): Promise<void> {
  await openSettings(page);
  const input = page.getByLabel('Temperature', { exact: true });
  await input.fill(String(value));
  await input.press('Tab');
}

async function chat(page: Page, text: string): Promise<void> {
  await sendMessage(page, text);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

test('"Look inside" a reply shows what produced it, and the prompt as text', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 6);
  await setTemperature(page, 0.55);
  // Markup in the user's message must reach the panel as the literal characters the model saw.
  await chat(page, 'Please read <b>x</b> carefully');

  const reply = lastBotMessage(page);
  const toggle = reply.getByRole('button', { name: 'Look inside' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(reply.getByTestId('look-inside')).toHaveCount(0);

  // A plain disclosure: reachable and operable from the keyboard.
  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const panel = reply.getByTestId('look-inside');
  await expect(panel).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-controls', (await panel.getAttribute('id'))!);

  await expect(panel).toContainText('demo-chat-tiny');
  await expect(panel).toContainText('WASM');
  await expect(panel).toContainText('q8');
  await expect(panel).toContainText('0.55');
  await expect(panel).toContainText(/Time to first token\s*\d+ ms/);
  await expect(panel).toContainText(/Tokens\/s\s*\d+\.\d/);
  await expect(panel).toContainText(/Max new tokens\s*6/);

  const prompt = panel.getByTestId('look-inside-prompt');
  await expect(prompt).toContainText('<|im_start|>user');
  await expect(prompt).toContainText('Please read <b>x</b> carefully');
  await expect(prompt.locator('b')).toHaveCount(0);
  expect(await prompt.evaluate((pre) => pre.children.length)).toBe(0);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(reply.getByTestId('look-inside')).toHaveCount(0);
});

test('a thumbs-up is a toggle, and survives a reload', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 4);
  await chat(page, 'Hello there');

  const good = lastBotMessage(page).getByRole('button', { name: 'Good reply' });
  const bad = lastBotMessage(page).getByRole('button', { name: 'Bad reply' });
  await expect(good).toHaveAttribute('aria-pressed', 'false');
  await expect(bad).toHaveAttribute('aria-pressed', 'false');
  // Only the bot's replies are rated.
  await expect(page.locator('article[data-role="user"]').getByRole('button', { name: 'Good reply' })).toHaveCount(0);
  await good.click();
  await expect(good).toHaveAttribute('aria-pressed', 'true');
  await expect(bad).toHaveAttribute('aria-pressed', 'false');
  // A thumbs-up asks nothing more.
  await expect(page.getByTestId('dislike-details')).toHaveCount(0);

  await page.reload();
  await expect(good).toHaveAttribute('aria-pressed', 'true');
  await good.click();
  await expect(good).toHaveAttribute('aria-pressed', 'false');
  await page.reload();
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await expect(good).toHaveAttribute('aria-pressed', 'false');
});

test('a thumbs-down asks what went wrong; the answer is summed up under the reply', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 4);
  await chat(page, 'Hi');
  const reply = lastBotMessage(page);
  const bad = reply.getByRole('button', { name: 'Bad reply' });

  await bad.click();
  await expect(bad).toHaveAttribute('aria-pressed', 'true');
  const form = page.getByRole('group', { name: 'What went wrong' });
  await expect(form).toHaveAttribute('data-testid', 'dislike-details');
  await expect(form.getByRole('checkbox', { name: 'Off-topic / ignoring me' })).toBeFocused();
  // "Not now" and Escape close it without saving, and focus goes back to the thumb.
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(bad).toBeFocused();
  await expect(reply.getByTestId('feedback-summary')).toHaveCount(0);

  await bad.click(); // takes the thumbs-down back
  await expect(bad).toHaveAttribute('aria-pressed', 'false');
  await expect(form).toHaveCount(0);
  await bad.click();
  await form.getByLabel('Off-topic / ignoring me').check();
  await form.getByLabel('Repeating itself').check();
  await form.getByLabel('What went wrong (optional)').fill('It said <i>nothing</i> useful');
  await form.getByLabel('What it should have said (optional)').fill('Hello! How can I help?');
  await form.getByRole('button', { name: 'Save feedback' }).click();
  await expect(form).toHaveCount(0);
  await expect(bad).toBeFocused();

  const summary = reply.getByTestId('feedback-summary');
  await expect(summary).toContainText('Off-topic / ignoring me');
  await expect(summary).toContainText('Repeating itself');
  await expect(summary).toContainText('It said <i>nothing</i> useful');
  await expect(summary.locator('i')).toHaveCount(0);
  await expect(summary).toContainText('Hello! How can I help?');

  await page.reload();
  await expect(summary).toContainText('Repeating itself');
  await summary.getByRole('button', { name: 'Edit feedback' }).click();
  await expect(form.getByLabel('Repeating itself')).toBeChecked();
  await expect(form.getByLabel('Looks like spam')).not.toBeChecked();
  await expect(form.getByLabel('What it should have said (optional)')).toHaveValue('Hello! How can I help?');
  await form.getByRole('button', { name: 'Not now' }).click();
  await expect(form).toHaveCount(0);

  // A thumbs-up drops the reasons; the user's own words are kept.
  await reply.getByRole('button', { name: 'Good reply' }).click();
  await expect(reply.getByRole('button', { name: 'Good reply' })).toHaveAttribute('aria-pressed', 'true');
  await expect(summary).not.toContainText('Repeating itself');
  await expect(summary).toContainText('Hello! How can I help?');
});
