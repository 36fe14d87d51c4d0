import { expect, test, type Page } from '@playwright/test';
import { closePanels, openReadyApp, openSettings } from './app';
import { dumpDatabase } from './browser-storage';

/**
 * This machine has no GPU, so nothing here says which backend is faster. The page is told it has
 * a real adapter (a stand-in navigator.gpu, page only); the worker, which sees no WebGPU, runs
 * both "measuring" loads on WASM. What this checks is the wiring: the timed loads, the figures
 * shown, remembering them across a reload, Settings overriding them, and measuring again.
 */
test.beforeEach(async ({ page }) => {
  await page.addInitScript(() => {
    const adapter = {
      features: new Set<string>(['shader-f16']),
      info: { vendor: 'stand-in', architecture: 'test', device: '0x0001', description: 'not a GPU', isFallbackAdapter: false },
    };
    Object.defineProperty(Navigator.prototype, 'gpu', { configurable: true, get: () => ({ requestAdapter: async () => adapter }) });
  });
});

const FIGURES = /^WebGPU [\d.]+ tok\/s vs WASM [\d.]+ tok\/s: (WebGPU|WebAssembly \(CPU\)) is faster on this device\.$/;

async function rememberedAt(page: Page): Promise<number[]> {
  const settings = (await dumpDatabase(page)).settings ?? [];
  const record = settings.find(([key]) => key === 'backend-measurements')?.[1] as Record<string, { measuredAt: number }> | undefined;
  return Object.values(record ?? {}).map((m) => m.measuredAt);
}

/** The figures are in the model details, opened from the status line. */
async function openModelDetails(page: Page): Promise<void> {
  const details = page.getByRole('region', { name: 'Model details' });
  if (!(await details.isVisible())) await page.locator('[aria-controls="model-details"]').click();
  await expect(details).toBeVisible();
}

test('on a real adapter the app times both backends once, shows the figures, remembers them, and Settings overrides them', async ({ page }) => {
  await openReadyApp(page);
  const measurement = page.getByTestId('backend-measurement');
  await openModelDetails(page);
  await expect(measurement.locator('span')).toHaveText(FIGURES);
  const figures = await measurement.locator('span').textContent();
  const [measuredAt] = await rememberedAt(page);
  expect(measuredAt).toBeGreaterThan(0);

  // Remembered: the same figures after a reload, not a new measurement.
  await openReadyApp(page);
  await openModelDetails(page);
  await expect(measurement.locator('span')).toHaveText(figures ?? '');
  expect(await rememberedAt(page)).toEqual([measuredAt]);

  // Settings' choice wins and shows no measurement; Automatic brings the remembered one back.
  await openSettings(page);
  await page.getByLabel('Compute backend').selectOption('wasm');
  await closePanels(page);
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
  await openModelDetails(page);
  await expect(page.getByText('WebAssembly was chosen in settings.')).toBeVisible();
  await expect(measurement).toBeHidden();
  await openSettings(page);
  await page.getByLabel('Compute backend').selectOption('auto');
  await closePanels(page);
  await openModelDetails(page);
  await expect(measurement.locator('span')).toHaveText(figures ?? '');
  expect(await rememberedAt(page)).toEqual([measuredAt]);

  // Measure again: forgotten, timed anew, remembered anew.
  await measurement.getByRole('button', { name: 'Measure again' }).click();
  await expect(measurement.locator('span')).toHaveText(FIGURES);
  await expect.poll(() => rememberedAt(page)).toEqual([expect.any(Number)]);
  expect((await rememberedAt(page))[0]).toBeGreaterThan(measuredAt!);
});
