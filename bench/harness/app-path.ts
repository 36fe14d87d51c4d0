/**
 * Path (a) of the benchmark: the app itself, driven through its UI like a user would, timed in
 * the page (key press → first text on screen → last text on screen) and cross-checked with the
 * figures the dialogue worker stored with the reply.
 */
import type { Page } from '@playwright/test';
import type { ReplyMetrics, SamplingSettings } from '../../workers/shared/protocol';
import { closePanels, openPanel, openSettings } from '../../tests/e2e/app';
import { waitForServiceWorkerControl } from '../../tests/e2e/browser-storage';

export interface AppReply {
  /** Enter → the first character of the reply on screen. */
  ttftMs: number;
  /** Tokens after the first, over first → last text on screen. */
  decodeTokensPerSecond: number;
  prefillTokensPerSecond: number;
  /** Enter → the reply marked finished (reward scoring and storage included). */
  totalMs: number;
  promptTokens: number;
  prefillTokens: number;
  newTokens: number;
  /** The prompt exactly as the model saw it (chat template applied), for the raw paths. */
  prompt: string;
  /** What the worker measured itself, without the UI. */
  worker: ReplyMetrics;
  sampling: SamplingSettings | undefined;
  status: string;
}

const MODEL_READY_MS = 300_000;
const REPLY_MS = 600_000;

export async function waitForModelReady(page: Page, label?: string): Promise<void> {
  if (label) {
    const status = page.getByRole('region', { name: 'Model status' });
    await status.locator('strong', { hasText: label }).waitFor({ timeout: MODEL_READY_MS });
  }
  await page.getByTestId('backend').waitFor({ timeout: MODEL_READY_MS });
}

/** Opens the app on a fresh context (nothing cached) and times it until the demo model is ready. */
export async function openAppCold(page: Page, appUrl: string): Promise<number> {
  const started = Date.now();
  await page.goto(appUrl);
  await waitForModelReady(page);
  const loadMs = Date.now() - started;
  // The first visit's service worker must control the page before timings mean anything
  // (DESIGN.md §10): until then it is still precaching the runtime.
  await waitForServiceWorkerControl(page);
  return loadMs;
}

/**
 * Forces the compute backend in Settings and waits until the model runs on it. The app leaves a
 * software WebGPU adapter (SwiftShader) alone on "auto", so the WebGPU mode has to ask for it.
 */
export async function forceBackend(page: Page, backend: 'webgpu' | 'wasm'): Promise<void> {
  await openSettings(page);
  await page.getByLabel('Compute backend').selectOption(backend);
  await closePanels(page);
  await page.locator(`[data-testid="backend"][data-backend="${backend}"]`).waitFor({ timeout: MODEL_READY_MS });
}

/** Reloads the page and times it until the model in use (now from the browser's cache) is ready. */
export async function reloadAppWarm(page: Page, label?: string): Promise<number> {
  const started = Date.now();
  await page.reload();
  await waitForModelReady(page, label);
  return Date.now() - started;
}

/** Downloads a model from a mirror host through the Models panel; times click → model ready. */
export async function downloadHostedModel(page: Page, hostUrl: string, repo: string): Promise<number> {
  await openPanel(page, 'Models');
  await page.getByLabel('Model host').fill(hostUrl);
  const save = page.getByRole('button', { name: 'Save host' });
  if (await save.isEnabled()) await save.click();
  await page.getByLabel('Hub repo id (transformers.js layout)').fill(repo);
  const started = Date.now();
  await page.getByRole('button', { name: 'Download repo' }).click();
  await waitForModelReady(page, repo);
  const downloadMs = Date.now() - started;
  await closePanels(page);
  return downloadMs;
}

async function setNumber(page: Page, label: string, value: number): Promise<void> {
  await openSettings(page);
  const input = page.getByLabel(label, { exact: true });
  await input.fill(String(value));
  await input.press('Tab');
  await closePanels(page);
}

export interface ReplySettings {
  temperature: number;
  maxNewTokens: number;
  bestOfN: number;
}

export async function configureReplies(page: Page, settings: ReplySettings): Promise<void> {
  await setNumber(page, 'Temperature', settings.temperature);
  await setNumber(page, 'Max new tokens', settings.maxNewTokens);
  await setNumber(page, 'Best of N', settings.bestOfN);
}

/** Turns the question-and-reply safety check on or off in Settings. */
export async function setSafetyFilter(page: Page, on: boolean): Promise<void> {
  await openSettings(page);
  await page.getByLabel('Safety filter', { exact: true }).setChecked(on);
  await closePanels(page);
}

export async function startNewConversation(page: Page): Promise<void> {
  await page.getByRole('button', { name: '+ New conversation' }).click();
  await page.locator('article[data-role]').first().waitFor({ state: 'detached' }).catch(() => undefined);
}

/** Switches to the conversation whose list entry shows `title`. */
export async function openConversation(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Conversations' }).getByText(title).first().click();
}

interface ScreenTimes {
  sentAt: number;
  firstTextAt: number;
  lastTextAt: number;
  doneAt: number;
  status: string;
}

/** Sends one message and times its reply on screen; returns the screen times and the stored reply. */
export async function measureReply(page: Page, text: string): Promise<AppReply> {
  const storedBefore = (await storedReplies(page)).length;
  await page.evaluate(() => {
    const w = window as unknown as { benchReply?: Promise<ScreenTimes> };
    const before = document.querySelectorAll('article[data-role="assistant"]').length;
    w.benchReply = new Promise<ScreenTimes>((resolve) => {
      const times = { sentAt: 0, firstTextAt: 0, lastTextAt: 0, doneAt: 0, status: '' };
      let shown = 0;
      const onKey = (event: KeyboardEvent) => {
        if (event.key === 'Enter' && !times.sentAt) times.sentAt = performance.now();
      };
      document.addEventListener('keydown', onKey, { capture: true });
      const observer = new MutationObserver(() => {
        const replies = document.querySelectorAll('article[data-role="assistant"]');
        if (replies.length <= before) return;
        const reply = replies[replies.length - 1]!;
        const now = performance.now();
        const length = (reply.querySelector('.content')?.textContent ?? '').replace('▍', '').trim().length;
        if (length > shown) {
          shown = length;
          if (!times.firstTextAt) times.firstTextAt = now;
          times.lastTextAt = now;
        }
        const status = reply.getAttribute('data-status') ?? '';
        if (status === 'complete' || status === 'partial' || status === 'error') {
          times.doneAt = now;
          times.status = status;
          observer.disconnect();
          document.removeEventListener('keydown', onKey, { capture: true });
          resolve(times);
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-status'] });
    });
  });
  const composer = page.getByLabel('Message');
  await composer.fill(text);
  await composer.press('Enter');
  const times = await page.evaluate(
    () => (window as unknown as { benchReply: Promise<ScreenTimes> }).benchReply,
    undefined,
  );
  if (times.status !== 'complete') throw new Error(`The app's reply ended as "${times.status}", not complete.`);
  const stored = await newStoredReply(page, storedBefore, REPLY_MS);
  const worker = stored.metrics;
  const firstTextAt = times.firstTextAt || times.doneAt;
  const ttftMs = firstTextAt - times.sentAt;
  const streamMs = times.lastTextAt - firstTextAt;
  return {
    ttftMs,
    // A short reply can reach the screen in one update: its text is held back until the safety
    // check of the question clears it, and a tiny model may finish first. The screen then shows no
    // decode rate, and the worker's (same tokens, without the UI) stands in.
    decodeTokensPerSecond:
      worker.newTokens > 1 && streamMs > 0 ? ((worker.newTokens - 1) / streamMs) * 1000 : worker.decodeTokensPerSecond,
    prefillTokensPerSecond: ttftMs > 0 ? (worker.prefillTokens / ttftMs) * 1000 : 0,
    totalMs: times.doneAt - times.sentAt,
    promptTokens: worker.promptTokens,
    prefillTokens: worker.prefillTokens,
    newTokens: worker.newTokens,
    prompt: stored.prompt,
    worker,
    sampling: stored.sampling,
    status: times.status,
  };
}

interface StoredReply {
  createdAt: number;
  status: string;
  metrics?: ReplyMetrics;
  prompt?: string;
  sampling?: SamplingSettings;
}

/** The app's stored replies, oldest first, read straight from IndexedDB (not through the app). */
function storedReplies(page: Page): Promise<StoredReply[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('feedback-chat');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      if (!db.objectStoreNames.contains('messages')) return [];
      const all = await new Promise<Array<StoredReply & { role: string }>>((resolve, reject) => {
        const request = db.transaction('messages').objectStore('messages').getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return all.filter((m) => m.role === 'assistant').sort((a, b) => a.createdAt - b.createdAt);
    } finally {
      db.close();
    }
  });
}

/** Waits for the reply after the first `before` ones to be stored as complete, with its metrics. */
async function newStoredReply(page: Page, before: number, timeoutMs: number): Promise<{ metrics: ReplyMetrics; prompt: string; sampling?: SamplingSettings }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const replies = await storedReplies(page);
    const last = replies.length > before ? replies.at(-1) : undefined;
    if (last?.status === 'complete' && last.metrics) return { metrics: last.metrics, prompt: last.prompt ?? '', sampling: last.sampling };
    if (Date.now() > deadline) throw new Error('The finished reply never reached the database.');
    await page.waitForTimeout(100);
  }
}
