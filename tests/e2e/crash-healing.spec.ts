import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, sendMessage, setMaxNewTokens, waitForStreamedText } from './app';

/**
 * A model worker that dies mid-reply (an uncaught error, as a WASM abort or a lost GPU device
 * gives): the app recovers by itself, loses nothing, and never runs with safety silently off.
 */

/** Keeps a handle on every worker the app starts, by name (test instrumentation, not an app hook). */
async function trackWorkers(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Original = window.Worker;
    const started: Array<{ name: string; worker: Worker }> = [];
    (window as unknown as { __appWorkers: typeof started }).__appWorkers = started;
    window.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        started.push({ name: options?.name ?? '', worker: this });
      }
    };
  });
}

/**
 * The app's newest worker named `name` reports a crash, as the browser does when a worker dies
 * (an uncaught error: a WASM abort, a lost GPU device). Sent from the page because a worker busy
 * generating runs nothing else until its reply is done.
 */
async function crashWorker(page: Page, name: 'dialogue' | 'reward'): Promise<void> {
  const found = await page.evaluate((wanted) => {
    const started = (window as unknown as { __appWorkers: Array<{ name: string; worker: Worker }> }).__appWorkers;
    const entry = started.filter((w) => w.name === wanted).at(-1);
    entry?.worker.dispatchEvent(new ErrorEvent('error', { message: 'Uncaught RuntimeError: simulated crash', cancelable: true }));
    return entry !== undefined;
  }, name);
  expect(found, `a ${name} worker`).toBe(true);
}

async function sendAndWait(page: Page, text: string): Promise<void> {
  const replies = await page.locator('article[data-role="assistant"]').count();
  await sendMessage(page, text);
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

test('the chat worker crashing mid-reply fails that reply with a message, reloads the model by itself, and the next reply works', async ({ page }) => {
  await trackWorkers(page);
  await openReadyApp(page);
  await setMaxNewTokens(page, 256);
  await sendMessage(page, 'A question before the crash');
  await waitForStreamedText(page, 10);
  await crashWorker(page, 'dialogue');

  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'error');
  await expect(lastBotMessage(page)).toContainText(/crashed/);
  // The model comes back without the user doing anything.
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  await setMaxNewTokens(page, 8);
  await sendAndWait(page, 'A question after the crash');

  await page.reload();
  const questions = page.locator('article[data-role="user"]');
  await expect(questions).toHaveText([/A question before the crash/, /A question after the crash/]);
});

test('the reward worker crashing does not turn safety off: it restarts, and a flagged message still gets a change of topic', async ({ page }) => {
  await trackWorkers(page);
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await sendAndWait(page, 'Hello there');
  // The demo safety classifier flags this trigger word. The worker dies while the message is
  // being checked: the check runs again on the restarted filter, and the reply waits for it.
  const replies = await page.locator('article[data-role="assistant"]').count();
  await sendMessage(page, 'kaboom');
  await crashWorker(page, 'reward');
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  const reply = lastBotMessage(page);
  await expect(reply.getByTestId('safety-note')).toContainText('Safety filter replaced this reply');
  await expect(page.getByTestId('safety-status')).toHaveCount(0);
  // And an ordinary message is checked, not passed with "could not run".
  await sendAndWait(page, 'How are you');
  await expect(lastBotMessage(page)).not.toContainText('could not run');
});
