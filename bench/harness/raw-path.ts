/**
 * Paths (b) and (c) of the benchmark: the bare pages of bench/pages (raw transformers.js, and a
 * raw onnxruntime-web greedy loop), each running the model in a worker of its own, driven
 * through the `window.benchRaw` API they expose (bench/pages/bench-api.ts).
 */
import type { Page } from '@playwright/test';
import type { BenchRaw, RawGenerateOptions, RawGenerateResult, RawLoadOptions, RawLoadResult } from '../pages/bench-api';

export type { RawGenerateOptions, RawGenerateResult } from '../pages/bench-api';
export type RawPageName = 'raw-transformers' | 'raw-ort';

/**
 * Opens a raw page and loads the model; the time counts from navigation, as for the app.
 * Called twice in one browser context, the second is a warm load (model files from the Cache API).
 */
export async function openRawPage(page: Page, baseUrl: string, name: RawPageName, options: RawLoadOptions): Promise<RawLoadResult> {
  const started = Date.now();
  await page.goto(`${baseUrl}/${name}.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
  const result = await page.evaluate((opts) => (window as unknown as { benchRaw: BenchRaw }).benchRaw.load(opts), options);
  return { ...result, loadMs: Date.now() - started };
}

export function rawGenerate(page: Page, options: RawGenerateOptions): Promise<RawGenerateResult> {
  return page.evaluate((opts) => (window as unknown as { benchRaw: BenchRaw }).benchRaw.generate(opts), options);
}

export async function disposeRaw(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { benchRaw: BenchRaw }).benchRaw.dispose());
}
