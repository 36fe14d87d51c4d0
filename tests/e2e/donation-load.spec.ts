import { expect, test } from '@playwright/test';
import { openReadyApp } from './app';
import { donationCorpus } from './donation-corpus';
import { chooseEverything, loadPreview, seedCorpus } from './donation-load';

/**
 * A 5 MB bundle is read and de-identified in the de-identification worker, and the preview goes
 * into the page in steps: the page stays responsive meanwhile (issue 16, item 7). The figure
 * itself — no main-thread task over 100 ms — is a benchmark (bench/app/check-donation.ts): on a
 * shared two-core machine a task's wall-clock time is mostly its wait for a core. This test
 * checks what cannot flake: the work ran in the worker, and no task came anywhere near the
 * seconds it took on the page. Measured here: before the worker, one task of 3.7 to 28 s
 * (3.1 to 4.2 s of it running); after, none over 50 ms on a quiet machine, and up to ~190 ms
 * of wall-clock time on a busy one, of which the page ran ~20 ms.
 */
const GENEROUS_LIMIT_MS = 1_000;

test('a 5 MB bundle is de-identified in a worker, and the page never blocks for long while it is previewed', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  await openReadyApp(page);
  await seedCorpus(page, donationCorpus(4.5e6));
  const chosen = await chooseEverything(page);
  expect(chosen).toBeGreaterThan(100);

  const load = await loadPreview(page);
  expect(load.bundleChars).toBeGreaterThan(5e6);
  expect(load.workers.some((url) => /deid\.worker/.test(url))).toBe(true);
  expect(load.longestTaskMs).toBeLessThan(GENEROUS_LIMIT_MS);
  test.info().annotations.push({ type: 'main thread', description: `longest task ${load.longestTaskMs} ms (${load.topTasksMs.join(', ')}), preview in ${load.previewMs} ms` });

  // The whole bundle is in the page once the preview is shown in full, placeholders marked.
  await expect(page.getByRole('region', { name: 'Bundle JSON' })).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('bundle-json').locator('mark').first()).toBeVisible();
});
