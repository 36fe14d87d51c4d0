import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, sendMessage, setMaxNewTokens, waitForStreamedText } from './app';
import { COLLECTOR_URL } from './collector';
import { DB_VERSION } from '../../src/storage/schema';

/** Two tabs of the app in one browser profile: what one does shows in the other, and they never trip over each other. */

const conversationList = (page: Page) => page.getByRole('navigation', { name: 'Conversations' });

async function chat(page: Page, text: string): Promise<void> {
  const replies = await page.locator('article[data-role="assistant"]').count();
  await sendMessage(page, text);
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

/** Opens the app in a second tab: the first runs the model, so this one waits for it. */
async function openWaitingTab(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('model-elsewhere')).toBeVisible({ timeout: 60_000 });
}

const runsTheModel = (page: Page) => page.workers().some((w) => w.url().includes('dialogue.worker'));

test('one tab runs the model at a time: a second tab waits, can take it over, and the first gets it back when the second closes', async ({ context }) => {
  const a = await context.newPage();
  await openReadyApp(a);
  const b = await context.newPage();
  await openWaitingTab(b);
  await expect(b.getByLabel('Message')).toHaveAttribute('placeholder', /In use in another tab/);
  expect(runsTheModel(b)).toBe(false);

  await b.getByRole('button', { name: 'Use it here' }).click();
  await expect(b.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  await expect(a.getByTestId('model-elsewhere')).toBeVisible();
  // The first tab's worker is gone, and its memory with it.
  await expect.poll(() => runsTheModel(a)).toBe(false);
  await setMaxNewTokens(b, 8);
  await chat(b, 'Chatting in the second tab');

  await b.close();
  await expect(a.getByTestId('backend')).toBeVisible({ timeout: 60_000 });
  await setMaxNewTokens(a, 8);
  await chat(a, 'Back in the first tab');
});

test('a conversation and a rating made in one tab show in the other without a reload', async ({ context }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await openReadyApp(a);
  await openWaitingTab(b);
  await setMaxNewTokens(a, 8);
  await chat(a, 'Hello from the first tab');

  await expect(conversationList(b).getByRole('listitem').filter({ hasText: 'Hello from the first tab' })).toBeVisible();
  await conversationList(b).getByRole('button', { name: 'Hello from the first tab' }).click();
  await expect(b.locator('article[data-role="assistant"]')).toHaveCount(1);

  await lastBotMessage(a).getByRole('button', { name: 'Good reply' }).click();
  await expect(lastBotMessage(b).getByRole('button', { name: 'Good reply' })).toHaveAttribute('aria-pressed', 'true');
});

test('a bundle being sent when a second tab opens is sent once', async ({ context }) => {
  const a = await context.newPage();
  await openReadyApp(a);
  await setMaxNewTokens(a, 8);
  await chat(a, 'A conversation about gardening');
  await a.getByRole('button', { name: 'Donate conversations' }).click();
  await a.getByRole('button', { name: 'Turn on donation' }).click();
  await a.getByLabel('Collector address').fill(COLLECTOR_URL);
  await a.getByRole('button', { name: 'Save address' }).click();
  await a.getByRole('group', { name: 'Choose conversations' }).getByRole('checkbox', { name: /gardening/ }).check();
  await a.getByRole('button', { name: 'Preview bundle' }).click();

  // Every upload is counted and held until the second tab has started: its start-up must not
  // take the bundle in flight for an interrupted one and send it again.
  const uploads: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await context.route(`${COLLECTOR_URL}/**`, async (route) => {
    if (route.request().method() === 'POST') uploads.push(route.request().url());
    await released;
    await route.continue();
  });
  await expect(a.getByRole('region', { name: 'Bundle preview' })).toBeVisible();
  const toCheck = await a.getByRole('heading', { name: 'Check these before sending' }).count();
  await a.getByRole('button', { name: 'Send this bundle' }).click();
  // The demo model writes random words: one the preview lists to check first is sent anyway.
  if (toCheck > 0) await a.getByRole('button', { name: 'Send anyway' }).click();
  await expect(a.getByTestId('donation').first()).toHaveAttribute('data-status', 'sending');

  const b = await context.newPage();
  await openWaitingTab(b);
  release();
  await expect(a.getByTestId('donation').first()).toHaveAttribute('data-status', 'sent');
  await b.getByRole('button', { name: 'Donate conversations' }).click();
  await expect(b.getByTestId('donation').first()).toHaveAttribute('data-status', 'sent');
  // Long enough for a second tab's outbox to have sent it again, had it re-queued it.
  await b.waitForTimeout(2_000);
  expect(uploads).toHaveLength(1);
});

test('a newer version opening in another tab waits for the reply being written, then this tab asks to reload', async ({ context }) => {
  const a = await context.newPage();
  await openReadyApp(a);
  await setMaxNewTokens(a, 256);
  await sendMessage(a, 'Tell me a long story');
  await waitForStreamedText(a, 10);

  // What a newer build does when it starts: open the database at the next version.
  // A page of the app's origin that is not the app, so only this one connection opens.
  const b = await context.newPage();
  await b.goto('/favicon.svg');
  const upgraded = b.evaluate(
    (next) =>
      new Promise<number>((resolve, reject) => {
        const request = indexedDB.open('feedback-chat', next);
        request.onsuccess = () => {
          const version = request.result.version;
          request.result.close();
          resolve(version);
        };
        request.onerror = () => reject(request.error);
      }),
    DB_VERSION + 1,
  );
  // The reply goes on to the end (and is saved) before the first tab lets go.
  await expect(lastBotMessage(a)).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  expect(await upgraded).toBe(DB_VERSION + 1);
  await expect(a.getByTestId('reload-needed')).toContainText('reload this tab');
  await expect(a.getByRole('button', { name: 'Send' })).toBeDisabled();
});
