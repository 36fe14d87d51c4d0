import { expect, test } from '@playwright/test';
import { lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';

// Privacy invariant (DESIGN §9): with the demo model, nothing leaves the app's origin — not the
// page, not the workers, not the service worker. blob: URLs of the origin are in-memory.
test('a full session — chat, settings, regenerate, follow-up, reload — makes zero requests outside the app origin', async ({ page, baseURL }) => {
  const appOrigin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  page.context().on('request', (request) => {
    if (new URL(request.url()).origin !== appOrigin) foreign.push(request.url());
  });

  await openReadyApp(page);
  await setMaxNewTokens(page, 12);
  await openSettings(page);
  await page.getByLabel('Temperature').fill('0.6');
  await page.getByLabel('Temperature').press('Tab');

  await sendMessage(page, 'Hello there');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await lastBotMessage(page).getByRole('button', { name: 'Regenerate reply' }).click();
  await expect(lastBotMessage(page).getByTestId('version')).toHaveText('2/2');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await sendMessage(page, 'And a follow-up');
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(2);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');

  await page.reload();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');

  expect(foreign).toEqual([]);
});
