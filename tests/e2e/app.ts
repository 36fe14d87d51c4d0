import { expect, type Page } from '@playwright/test';

/** Opens the app and waits until the demo model reports which backend it runs on. */
export async function openReadyApp(page: Page): Promise<string> {
  await page.goto('/');
  const backend = page.getByTestId('backend');
  await expect(backend).toBeVisible({ timeout: 90_000 });
  return (await backend.getAttribute('data-backend')) ?? '';
}

/** Opens one of the panels over the chat (Models, System prompt, Settings), from the drawer on a phone. */
export async function openPanel(page: Page, name: 'Models' | 'System prompt' | 'Settings'): Promise<void> {
  const dialog = page.getByRole('dialog', { name });
  if (await dialog.isVisible()) return;
  await closePanels(page);
  const button = page.getByRole('button', { name, exact: true });
  if (!(await button.isVisible())) await page.getByRole('button', { name: 'Conversations', exact: true }).click();
  await button.click();
  await expect(dialog).toBeVisible();
}

/** Closes whichever panel is open (with Esc, as a user would), so the chat can be used again. */
export async function closePanels(page: Page): Promise<void> {
  const open = page.locator('dialog[open]');
  if ((await open.count()) === 0) return;
  await page.keyboard.press('Escape');
  await expect(open).toHaveCount(0);
}

export async function openSettings(page: Page): Promise<void> {
  await openPanel(page, 'Settings');
}

/** Waits (in Settings, where their state is shown) until the reward and safety models are ready. */
export async function waitForRewardModels(page: Page): Promise<void> {
  await openSettings(page);
  await expect(page.getByTestId('reward-status')).toHaveText('Reward and safety models ready.', { timeout: 90_000 });
  await closePanels(page);
}

export async function setMaxNewTokens(page: Page, tokens: number): Promise<void> {
  await openSettings(page);
  const input = page.getByLabel('Max new tokens');
  await input.fill(String(tokens));
  await input.press('Tab');
  await closePanels(page);
}

export async function sendMessage(page: Page, text: string): Promise<void> {
  await closePanels(page);
  const composer = page.getByLabel('Message');
  await composer.fill(text);
  await composer.press('Enter');
}

export const lastBotMessage = (page: Page) => page.locator('article[data-role="assistant"]').last();

/** Waits until the streaming reply holds at least `chars` characters. */
export async function waitForStreamedText(page: Page, chars: number): Promise<void> {
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'streaming');
  await expect
    .poll(async () => ((await lastBotMessage(page).locator('.content').textContent()) ?? '').replace('▍', '').length)
    .toBeGreaterThanOrEqual(chars);
}

export async function botText(page: Page): Promise<string> {
  return ((await lastBotMessage(page).locator('.content').textContent()) ?? '').replace('▍', '');
}

/** The "(prefilled/prompt prompt tokens prefilled)" figures of the last reply's metrics line. */
export async function prefillFigures(page: Page): Promise<{ prefilled: number; prompt: number }> {
  const text = (await lastBotMessage(page).getByTestId('metrics').textContent()) ?? '';
  const [, prefilled, prompt] = /\((\d+)\/(\d+) prompt tokens prefilled\)/.exec(text) ?? [];
  return { prefilled: Number(prefilled), prompt: Number(prompt) };
}
