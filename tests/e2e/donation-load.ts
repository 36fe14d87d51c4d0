/**
 * Loads the donation preview with a large bundle and watches the main thread meanwhile: used by
 * the e2e test (tests/e2e/donation-load.spec.ts) and the benchmark (bench/app/check-donation.ts).
 */
import { expect, type Page } from '@playwright/test';
import type { CorpusConversation } from './donation-corpus';

export interface PreviewLoad {
  /** The longest main-thread task from the click on "Preview bundle" until the preview was shown in full, in ms. */
  longestTaskMs: number;
  /** The longest of those that ended before the preview first appeared: while the bundle was read and de-identified. */
  longestWhileBuildingMs: number;
  /** Main-thread tasks of 50 ms or more in that time (the browser reports no shorter ones). */
  tasksOver50ms: number;
  /** The five longest of those, longest first, in ms. */
  topTasksMs: number[];
  /** From the click to the preview shown in full, in ms. */
  previewMs: number;
  /** From the click to the preview's first appearance (the bundle built), in ms. */
  builtMs: number;
  /** Characters in the bundle JSON the preview shows. */
  bundleChars: number;
  /** URLs of the page's web workers once the preview was shown. */
  workers: string[];
}

/**
 * Replaces the stored conversations with `corpus`, written straight into IndexedDB with the
 * app's schema (src/storage/schema.ts), then reloads and waits for the model, so that its load
 * does not share the measured time.
 */
export async function seedCorpus(page: Page, corpus: readonly CorpusConversation[]): Promise<void> {
  await page.evaluate(async (conversations) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('feedback-chat');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(['conversations', 'messages', 'feedback'], 'readwrite');
    for (const name of ['conversations', 'messages', 'feedback']) tx.objectStore(name).clear();
    const start = Date.now() - conversations.length * 60_000;
    conversations.forEach((conversation, i) => {
      const conversationId = crypto.randomUUID();
      const at = start + i * 60_000;
      let parentId: string | null = null;
      conversation.messages.forEach(({ role, content }, n) => {
        const id = crypto.randomUUID();
        const createdAt = at + n * 1000;
        const extra = role === 'assistant' ? { modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8' } : {};
        tx.objectStore('messages').put({ id, conversationId, parentId, role, content, createdAt, updatedAt: createdAt, status: 'complete', ...extra });
        parentId = id;
      });
      tx.objectStore('conversations').put({ id: conversationId, title: conversation.title, createdAt: at, updatedAt: at + 1000, systemPrompt: '', currentLeafId: parentId });
    });
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
    db.close();
  }, corpus);
  await page.reload();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 120_000 });
}

/** Opens "Donate conversations" with donation on, and checks every conversation offered. */
export async function chooseEverything(page: Page): Promise<number> {
  // On a narrow screen the view links are in the drawer.
  const drawer = page.getByRole('button', { name: 'Conversations', exact: true });
  if (await drawer.isVisible()) await drawer.click();
  await page.getByRole('button', { name: 'Donate conversations' }).click();
  const turnOn = page.getByRole('button', { name: 'Turn on donation' });
  if (await turnOn.isVisible()) await turnOn.click();
  const picker = page.getByRole('group', { name: 'Choose conversations' });
  await expect(picker.getByRole('checkbox').first()).toBeVisible({ timeout: 60_000 });
  // One click per box, in the page: hundreds of Playwright round trips would take minutes.
  return picker.evaluate((group) => {
    const boxes = [...group.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    for (const box of boxes) if (!box.checked) box.click();
    return boxes.length;
  });
}

interface TaskLog {
  tasks: { start: number; duration: number }[];
  clickedAt: number;
  /** When the preview region was first seen (0 until then). */
  appearedAt: number;
  /** When the preview was first seen whole (0 until then). */
  shownAt: number;
}

/**
 * Clicks "Preview bundle" and records the main thread's long tasks (PerformanceObserver
 * 'longtask') until the preview is shown in full — no part of it busy any more (the preview puts
 * a large bundle into the page in steps) — and a second after that, so the layout and paint that
 * follow are counted too. The page watches for that itself, with cheap selector checks: Playwright
 * polling with role queries walks the whole DOM, and on a 5 MB preview each poll is itself a long
 * task that the app did not cause.
 */
export async function loadPreview(page: Page, options: { timeoutMs?: number } = {}): Promise<PreviewLoad> {
  await page.evaluate(() => {
    const log: TaskLog = { tasks: [], clickedAt: 0, appearedAt: 0, shownAt: 0 };
    (window as unknown as { __previewLog: TaskLog }).__previewLog = log;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) log.tasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask' });
    // Capture phase: the time is taken before the app's own handler runs.
    document.addEventListener('click', () => (log.clickedAt ||= performance.now()), { capture: true });
    const watch = setInterval(() => {
      const region = document.querySelector('[role="region"][aria-label="Bundle preview"]');
      if (region === null) return;
      log.appearedAt ||= performance.now();
      if (region.querySelector('[aria-busy="true"]') !== null) return;
      clearInterval(watch);
      // The frame with the last part painted: rAF runs before its paint, the task after it once painted.
      requestAnimationFrame(() => setTimeout(() => (log.shownAt = performance.now()), 0));
    }, 50);
  });
  await page.getByRole('button', { name: 'Preview bundle' }).click();
  await page.waitForFunction(() => (window as unknown as { __previewLog: TaskLog }).__previewLog.shownAt > 0, null, {
    timeout: options.timeoutMs ?? 10 * 60_000,
    polling: 500,
  });
  await page.waitForTimeout(1_000);
  const log = await page.evaluate(() => (window as unknown as { __previewLog: TaskLog }).__previewLog);
  const during = log.tasks.filter((task) => task.start + task.duration >= log.clickedAt);
  const bundleChars = await page.getByTestId('bundle-json').evaluate((pre) => pre.textContent?.length ?? 0);
  return {
    longestTaskMs: Math.round(during.reduce((longest, task) => Math.max(longest, task.duration), 0)),
    longestWhileBuildingMs: Math.round(during.filter((task) => task.start + task.duration <= log.appearedAt).reduce((longest, task) => Math.max(longest, task.duration), 0)),
    tasksOver50ms: during.filter((task) => task.duration >= 50).length,
    topTasksMs: during.map((task) => Math.round(task.duration)).sort((a, b) => b - a).slice(0, 5),
    previewMs: Math.round(log.shownAt - log.clickedAt),
    builtMs: Math.round(log.appearedAt - log.clickedAt),
    bundleChars,
    workers: page.workers().map((worker) => worker.url()),
  };
}
