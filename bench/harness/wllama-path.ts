/**
 * Path (d) of the benchmark: wllama (llama.cpp in WebAssembly) on the builder's GGUF of the same
 * model, driven through the `window.benchWllama` API of bench/pages/raw-wllama.page.ts.
 */
import type { Page } from '@playwright/test';
import type { BenchWllama, RawLoadResult, WllamaGenerateOptions, WllamaGenerateResult, WllamaLoadOptions } from '../pages/bench-api';

/** Opens the page and loads the model; the time counts from navigation, as for the other paths. */
export async function openWllamaPage(page: Page, baseUrl: string, options: WllamaLoadOptions): Promise<RawLoadResult> {
  const started = Date.now();
  await page.goto(`${baseUrl}/raw-wllama.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
  const result = await page.evaluate((opts) => (window as unknown as { benchWllama: BenchWllama }).benchWllama.load(opts), options);
  return { ...result, loadMs: Date.now() - started };
}

export function wllamaGenerate(page: Page, options: WllamaGenerateOptions): Promise<WllamaGenerateResult> {
  return page.evaluate((opts) => (window as unknown as { benchWllama: BenchWllama }).benchWllama.generate(opts), options);
}

export async function disposeWllama(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { benchWllama: BenchWllama }).benchWllama.dispose());
}
