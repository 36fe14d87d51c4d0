/**
 * The browser half of bench/prefill-memory.ts: each prefill size in its own Chromium, on the
 * prefill-memory page (bench/pages/prefill-memory.worker.ts), which answers with the size of
 * onnxruntime-web's WASM heap. A heap that runs out (4 GiB) is a figure, not a failure.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumPath, wasmArgs } from '../../tests/chromium';
import type { PrefillMemoryOptions, PrefillMemoryPage, PrefillMemoryResult } from '../pages/prefill-memory-api';
import { REPO_ROOT } from './local-models';
import { startStaticServer } from './static-server';

const PAGES_DIR = join(REPO_ROOT, '.tmp/bench-pages');

/** Partial: when the page itself fails (a crash), only `error` is known. */
export type BrowserRow = { prefillChunk: number } & Partial<PrefillMemoryResult>;

export interface BrowserRun {
  browser: string;
  rows: BrowserRow[];
}

export function checkPagesBuilt(): void {
  if (!existsSync(join(PAGES_DIR, 'prefill-memory.html'))) {
    throw new Error(`No build of the benchmark pages (${PAGES_DIR}/prefill-memory.html): run \`npm run bench:pages\` first.`);
  }
}

/**
 * Runs one prefill per entry of `chunks`, in that order. The pages are cross-origin isolated, as
 * the app is served (scripts/serve.mjs), so ORT runs with the app's threads.
 */
export async function measureInBrowser(modelFolder: string, base: Omit<PrefillMemoryOptions, 'prefillChunk'>, chunks: number[]): Promise<BrowserRun> {
  checkPagesBuilt();
  const server = await startStaticServer({ root: PAGES_DIR, isolate: true, mounts: { [`/models/${base.model}/`]: modelFolder } });
  const rows: BrowserRow[] = [];
  let version = '';
  try {
    for (const prefillChunk of chunks) {
      // A fresh browser per row: nothing one run freed can serve the next.
      const browser = await chromium.launch({ executablePath: chromiumPath, args: wasmArgs });
      version = `Chromium ${browser.version()}`;
      try {
        const page = await browser.newPage();
        const result = await runOnce(page, server.url, { ...base, prefillChunk }).catch((error: unknown) => ({
          error: `the page failed: ${error instanceof Error ? error.message : String(error)}`,
        }));
        rows.push({ prefillChunk, ...result });
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  return { browser: version, rows };
}

/** One row took 90 s here; a worker that never answers should not hold the benchmark forever. */
const RUN_TIMEOUT_MS = 15 * 60_000;

async function runOnce(page: Page, url: string, options: PrefillMemoryOptions): Promise<PrefillMemoryResult> {
  // A renderer killed for memory (the tab, not the heap) would otherwise leave evaluate hanging.
  const crashed = new Promise<never>((_, reject) => page.once('crash', () => reject(new Error('the page crashed'))));
  crashed.catch(() => {}); // a crash after the answer is nobody's concern
  await page.goto(`${url}/prefill-memory.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.error !== undefined, undefined, {
    timeout: 60_000,
  });
  const error = await page.evaluate(() => document.body.dataset.error);
  if (error) throw new Error(error);
  const run = page.evaluate((opts) => (window as unknown as { prefillMemory: PrefillMemoryPage }).prefillMemory.run(opts), options);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${RUN_TIMEOUT_MS / 60_000} min`)), RUN_TIMEOUT_MS);
  });
  try {
    return await Promise.race([run, crashed, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
