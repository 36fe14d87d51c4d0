import { expect, test } from '@playwright/test';
import { closePanels, lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';

// Runs in the `webgpu` project: Chromium with --enable-unsafe-webgpu, whose only adapter is
// SwiftShader, a software one ~100x slower than WASM. The app must not pick it by itself; a user
// who chooses WebGPU still gets it (a few tokens only: it is that slow).
test('with only a software WebGPU adapter the app picks WebAssembly by itself and says why', async ({ page }) => {
  expect(await openReadyApp(page)).toBe('wasm');
  await expect(page.getByTestId('backend')).toContainText('WebAssembly · q8');
  await page.locator('[aria-controls="model-details"]').click();
  await expect(page.getByText(/only WebGPU adapter here is a software one/)).toBeVisible();
  await page.keyboard.press('Escape');
  await setMaxNewTokens(page, 8);
  await sendMessage(page, 'Hello');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await expect(lastBotMessage(page).getByTestId('metrics')).toContainText('WASM · q8');
});

test('choosing WebGPU in settings runs the model on the software adapter, q4 because SwiftShader lacks shader-f16', async ({ page }) => {
  await openReadyApp(page);
  await openSettings(page);
  await page.getByLabel('Compute backend').selectOption('webgpu');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu', { timeout: 90_000 });
  await expect(page.getByTestId('backend')).toContainText('WebGPU · q4');
  await closePanels(page);
  await page.locator('[aria-controls="model-details"]').click();
  await expect(page.getByText(/no shader-f16/)).toBeVisible();
  await setMaxNewTokens(page, 4);
  await sendMessage(page, 'Hello');
  // The reward worker moves to WebGPU too and checks the message first; on SwiftShader that
  // takes a while on two busy cores.
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
  await expect(lastBotMessage(page).getByTestId('metrics')).toContainText('WebGPU · q4');
});
