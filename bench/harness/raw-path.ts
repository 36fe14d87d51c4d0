/**
 * Paths (b) and (c) of the benchmark: the bare pages of bench/pages (raw transformers.js, and a
 * raw onnxruntime-web greedy loop), each running the model in a worker of its own, driven
 * through the `window.benchRaw` API they expose.
 */
import type { Page } from '@playwright/test';

export type RawPageName = 'raw-transformers' | 'raw-ort';

export interface RawLoadResult {
  loadMs: number;
  threads: number;
  device: 'wasm' | 'webgpu';
  dtype: string;
  fromCache: boolean;
}

export interface RawGenerateResult {
  promptTokens: number;
  newTokens: number;
  ttftMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  totalMs: number;
  promptIds: number[];
  tokens: number[];
}

export interface RawLoadOptions {
  model: string;
  device: 'wasm' | 'webgpu';
  dtype: string;
}

export interface RawGenerateOptions {
  promptText?: string;
  promptIds?: number[];
  newTokens: number;
  repetitionPenalty?: number;
  /** The app's sampling settings (transformers.js page only); greedy without. */
  sampling?: { temperature: number; topP: number; topK: number };
}

interface BenchRawApi {
  load(options: RawLoadOptions): Promise<RawLoadResult>;
  generate(options: RawGenerateOptions): Promise<RawGenerateResult>;
  dispose(): Promise<void>;
}

/**
 * Opens a raw page and loads the model; the time counts from navigation, as for the app.
 * Called twice in one browser context, the second is a warm load (model files from the Cache API).
 */
export async function openRawPage(page: Page, baseUrl: string, name: RawPageName, options: RawLoadOptions): Promise<RawLoadResult> {
  const started = Date.now();
  await page.goto(`${baseUrl}/${name}.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', undefined, { timeout: 60_000 });
  const result = await page.evaluate(
    (opts) => (window as unknown as { benchRaw: BenchRawApi }).benchRaw.load(opts),
    options,
  );
  return { ...result, loadMs: Date.now() - started };
}

export function rawGenerate(page: Page, options: RawGenerateOptions): Promise<RawGenerateResult> {
  return page.evaluate((opts) => (window as unknown as { benchRaw: BenchRawApi }).benchRaw.generate(opts), options);
}

export async function disposeRaw(page: Page): Promise<void> {
  await page.evaluate(() => (window as unknown as { benchRaw: BenchRawApi }).benchRaw.dispose());
}
