import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { openPanel, openReadyApp } from './app';

/**
 * Switching models frees the one before: in the browser nothing else frees an ONNX session's
 * WebAssembly memory (no garbage collector reaches it), so a model not disposed stays in the
 * worker's heap for good and every switch would add its size. The status line reports that
 * heap (wasm-heap.ts); a heap only grows, so it shows the most ever held.
 */
const LLAMA3_FOLDER = fileURLToPath(new URL('../../.tmp/fixture-models/fixture-chat-llama3-bpe/', import.meta.url));
const DEMO = 'Demo model (tiny, built on this machine)';

async function useModel(page: Page, label: string): Promise<number> {
  await page.getByRole('button', { name: `Use ${label}` }).click();
  const status = page.getByRole('region', { name: 'Model status' });
  await expect(status.locator('strong')).toHaveText(label, { timeout: 60_000 });
  const backend = page.getByTestId('backend');
  await expect(backend).toBeVisible({ timeout: 60_000 });
  return Number(await backend.getAttribute('data-wasm-heap'));
}

test('switching models twenty times leaves the worker’s memory where the first switch left it (±10%)', async ({ page }) => {
  test.setTimeout(240_000);
  const parent = mkdtempSync(join(tmpdir(), 'model-memory-'));
  const folder = join(parent, 'second-model');
  cpSync(LLAMA3_FOLDER, folder, { recursive: true });
  try {
    await openReadyApp(page);
    await openPanel(page, 'Models');
    await page.getByLabel('Import a model folder (works offline)').setInputFiles(folder);
    const second = 'second-model (imported folder)';
    await expect(page.getByRole('region', { name: 'Model status' }).locator('strong')).toHaveText(second, { timeout: 60_000 });
    await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });

    const afterFirst = await useModel(page, DEMO);
    expect(afterFirst).toBeGreaterThan(0);
    const heaps: number[] = [];
    for (let i = 0; i < 20; i++) heaps.push(await useModel(page, i % 2 === 0 ? second : DEMO));
    const last = heaps.at(-1)!;
    console.log(`WASM heap after the first switch ${(afterFirst / 1e6).toFixed(1)} MB; after twenty ${(last / 1e6).toFixed(1)} MB`);
    expect(last, JSON.stringify(heaps)).toBeLessThanOrEqual(afterFirst * 1.1);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});
