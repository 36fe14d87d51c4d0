import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage } from './app';

/**
 * A message typed while the chat model loads is taken, shown as waiting, and sent by itself once
 * the model is ready; it can be cancelled, and it is not lost when the model fails to load.
 */

// The page's own requests only (the service worker would fetch the model beside the route).
test.use({ serviceWorkers: 'block' });

const CHAT_MODEL_WEIGHTS = '**/models/demo-chat-tiny/onnx/**';

/**
 * Holds the chat model's weights until `release` is called, so the test types while it is
 * certainly still loading; `requested` resolves once the app has asked for them.
 */
async function holdChatModel(page: Page): Promise<{ requested: Promise<void>; release: () => void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let markRequested!: () => void;
  const requested = new Promise<void>((resolve) => (markRequested = resolve));
  await page.route(CHAT_MODEL_WEIGHTS, async (route) => {
    markRequested();
    await released;
    await route.continue();
  });
  return { requested, release };
}

const composer = (page: Page) => page.getByLabel('Message');
const pendingMessage = (page: Page) => page.getByTestId('pending-message');
const userMessages = (page: Page) => page.locator('article[data-role="user"]');

async function typeWhileLoading(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect(pendingMessage(page)).toContainText(text);
  await expect(pendingMessage(page)).toContainText('Will send when the model is ready');
  await expect(composer(page)).toHaveValue('');
}

test('a message typed while the model loads is shown as waiting and sent by itself once the model is ready', async ({ page }) => {
  const model = await holdChatModel(page);
  await page.goto('/');
  await model.requested;

  await typeWhileLoading(page, 'Hello before the model is ready');
  // Still loading: nothing is in the conversation yet.
  await expect(userMessages(page)).toHaveCount(0);

  model.release();
  await expect(userMessages(page)).toHaveCount(1, { timeout: 90_000 });
  await expect(userMessages(page).first()).toContainText('Hello before the model is ready');
  await expect(pendingMessage(page)).toHaveCount(0);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 90_000 });
  // Sent once, and kept: it is in the conversation after a reload.
  await expect(userMessages(page)).toHaveCount(1);
  await page.reload();
  await expect(userMessages(page)).toHaveCount(1);
  await expect(userMessages(page).first()).toContainText('Hello before the model is ready');
});

test('a waiting message cancelled during loading goes back to the composer and is not sent once the model is ready', async ({ page }) => {
  const model = await holdChatModel(page);
  await page.goto('/');
  await model.requested;

  await typeWhileLoading(page, 'Actually, never mind');
  await page.getByRole('button', { name: 'Cancel sending' }).click();
  await expect(pendingMessage(page)).toHaveCount(0);
  await expect(composer(page)).toHaveValue('Actually, never mind');
  await expect(composer(page)).toBeFocused();

  model.release();
  await expect(composer(page)).toHaveAttribute('placeholder', /Enter sends/, { timeout: 90_000 });
  // Ready, and a moment later still nothing sent: the text waits in the composer.
  await page.waitForTimeout(1_000);
  await expect(userMessages(page)).toHaveCount(0);
  await expect(composer(page)).toHaveValue('Actually, never mind');
});

test('a waiting message stays, with the reason, when the model fails to load', async ({ page }) => {
  await page.route(CHAT_MODEL_WEIGHTS, (route) => route.abort());
  await page.goto('/');
  // Typed before the failure is known, or after it: either way it waits.
  await composer(page).fill('Will you answer?');
  await composer(page).press('Enter');
  await expect(pendingMessage(page)).toContainText('Will you answer?');
  await expect(pendingMessage(page)).toContainText('The model did not load', { timeout: 90_000 });
  await expect(pendingMessage(page)).toContainText('Will send when the model is ready');
  await expect(userMessages(page)).toHaveCount(0);
});
