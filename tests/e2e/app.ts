import { expect, type Page } from '@playwright/test';

/** Opens the app and waits until the demo model reports which backend it runs on. */
export async function openReadyApp(page: Page): Promise<string> {
  await page.goto('/');
  const backend = page.getByTestId('backend');
  await expect(backend).toBeVisible({ timeout: 90_000 });
  return (await backend.getAttribute('data-backend')) ?? '';
}

export async function openSettings(page: Page): Promise<void> {
  const panel = page.locator('details.settings');
  if ((await panel.getAttribute('open')) === null) await page.getByText('Settings', { exact: true }).click();
}

export async function setMaxNewTokens(page: Page, tokens: number): Promise<void> {
  await openSettings(page);
  const input = page.getByLabel('Max new tokens');
  await input.fill(String(tokens));
  await input.press('Tab');
}

export async function sendMessage(page: Page, text: string): Promise<void> {
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
