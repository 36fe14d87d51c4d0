import { expect, test } from '@playwright/test';
import { lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';

// Runs in the `webgpu` project: Chromium with --enable-unsafe-webgpu (SwiftShader adapter).
// SwiftShader is ~100x slower than WASM, so the reply is kept to a few tokens.
test('with a WebGPU adapter the reply is produced on WebGPU, q4 because SwiftShader lacks shader-f16', async ({ page }) => {
  expect(await openReadyApp(page)).toBe('webgpu');
  await expect(page.getByTestId('backend')).toContainText('WebGPU · q4');
  await expect(page.getByText(/no shader-f16/)).toBeVisible();
  await setMaxNewTokens(page, 4);
  await sendMessage(page, 'Hello');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
  await expect(lastBotMessage(page).getByTestId('metrics')).toContainText('WebGPU · q4');
});

test('choosing WebAssembly in settings moves the same model to WASM', async ({ page }) => {
  await openReadyApp(page);
  await openSettings(page);
  await page.getByLabel('Compute backend').selectOption('wasm');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 90_000 });
  await expect(page.getByText('WebAssembly was chosen in settings.')).toBeVisible();
  await setMaxNewTokens(page, 8);
  await sendMessage(page, 'Hello');
  // The reward worker moves to WASM too and checks the message first; on SwiftShader the switch
  // takes a while on two busy cores.
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
  await expect(lastBotMessage(page).getByTestId('metrics')).toContainText('WASM · q8');
});
