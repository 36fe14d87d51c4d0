import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { botText, openSettings, lastBotMessage, openReadyApp, sendMessage, setMaxNewTokens } from './app';
import { waitForServiceWorkerControl } from './browser-storage';

// Each test loads the app (and its model) several times; on a busy two-core machine that takes minutes.
test.describe.configure({ timeout: 240_000 });

test('after the first visit, the app loads and chats with the cached demo model while offline', async ({ page, context }) => {
  await openReadyApp(page);
  // The first visit is controlled once the worker has precached the shell (clientsClaim).
  await waitForServiceWorkerControl(page);
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  // The reward and safety models load after the chat model; once loaded they are cached too.
  await openSettings(page);
  await expect(page.getByTestId('reward-status')).toContainText('ready', { timeout: 60_000 });

  const reachedNetwork: string[] = [];
  context.on('requestfinished', async (request) => {
    const response = await request.response();
    if (response && !response.fromServiceWorker()) reachedNetwork.push(request.url());
  });
  await context.setOffline(true);
  // Offline really is offline, for the service worker's own fetches too: a file it has not
  // precached cannot be loaded.
  expect(await page.evaluate(() => fetch('/favicon.svg?not-precached').then(() => 'loaded', () => 'failed'))).toBe('failed');

  await page.reload();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null && self.crossOriginIsolated)).toBe(true);
  await setMaxNewTokens(page, 8);
  await sendMessage(page, 'Hello from a plane');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  expect((await botText(page)).length).toBeGreaterThan(0);
  // Offline, the reply was still checked by the safety filter and scored by the reward model.
  await expect(lastBotMessage(page).getByTestId('reward-badge')).toBeVisible();
  await expect(lastBotMessage(page)).not.toContainText('could not run');
  expect(reachedNetwork).toEqual([]);
});

test('a new deployment offers "Reload to update", and accepting it runs the new version', async ({ page }) => {
  // The build Playwright's server serves (playwright.config.ts: DIST_DIR, else dist/).
  const serviceWorkerFile = join(process.env.DIST_DIR ?? 'dist', 'sw.js');
  const deployed = readFileSync(serviceWorkerFile, 'utf8');
  await page.goto('/');
  await waitForServiceWorkerControl(page);
  await expect(page.getByTestId('update-prompt')).toHaveCount(0);

  try {
    // A deployment changes sw.js; the browser checks it on the next navigation.
    writeFileSync(serviceWorkerFile, `${deployed}\n// deployment ${Date.now()}\n`);
    await page.reload();
    const reload = page.getByRole('button', { name: 'Reload to update' });
    await expect(reload).toBeVisible();
    // The running page keeps its version until the user says so.
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null)).toBe(true);

    await Promise.all([page.waitForEvent('load'), reload.click()]);
    await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
    expect(await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: registration?.waiting ?? null, controlled: navigator.serviceWorker.controller !== null };
    })).toEqual({ waiting: null, controlled: true });
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  } finally {
    writeFileSync(serviceWorkerFile, deployed);
  }
});

test('the manifest makes the app installable: name, standalone display, PNG and maskable icons', async ({ page, request }) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const manifest = (await (await request.get(href!)).json()) as { name: string; display: string; start_url: string; icons: Array<{ src: string; sizes: string; purpose?: string }> };
  expect(manifest).toMatchObject({ name: 'Private Chat', display: 'standalone', start_url: '/' });
  for (const size of ['192x192', '512x512']) expect(manifest.icons.some((icon) => icon.sizes === size && icon.purpose !== 'maskable')).toBe(true);
  expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
  for (const icon of manifest.icons) {
    const response = await request.get(icon.src);
    expect(response.headers()['content-type']).toBe('image/png');
    const [width, height] = icon.sizes.split('x').map(Number);
    const png = await response.body();
    // PNG IHDR: width and height are the big-endian words at bytes 16 and 20.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([width, height]);
  }
  const sw = await request.get('/sw.js');
  expect(sw.headers()['cache-control']).toBe('no-cache');
});
