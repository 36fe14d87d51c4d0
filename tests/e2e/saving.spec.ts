import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, sendMessage, setMaxNewTokens } from './app';

/**
 * A full disk, as IndexedDB reports it: while `__failWrites` names a role, every write of a
 * message with that role throws QuotaExceededError (the error a real quota failure carries).
 */
async function installQuotaFailure(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const scope = globalThis as typeof globalThis & { __failWrites?: 'user' | 'assistant' | null };
    scope.__failWrites = null;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      const role = (value as { role?: string } | null)?.role;
      if (this.name === 'messages' && scope.__failWrites && role === scope.__failWrites) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.call(this, value, key);
    };
  });
}

const failWrites = (page: Page, role: 'user' | 'assistant' | null) =>
  page.evaluate((r) => ((globalThis as typeof globalThis & { __failWrites?: string | null }).__failWrites = r), role);

test('a full disk never locks the chat: what was not saved is said, the message comes back, and the next one works', async ({ page }) => {
  await installQuotaFailure(page);
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  const composer = page.getByLabel('Message');
  const alert = page.getByRole('alert');

  // The question cannot be stored: nothing is sent, and the text is back in the composer.
  await failWrites(page, 'user');
  await sendMessage(page, 'A question the disk cannot take');
  await expect(alert).toContainText('Your message was not sent: the browser’s storage for this app is full. Delete a downloaded model under Models');
  await expect(composer).toHaveValue('A question the disk cannot take');
  await expect(page.locator('article[data-role="user"]')).toHaveCount(0);

  // The question is stored but the reply cannot be: it is shown, the user is told, the chat is free.
  await failWrites(page, 'assistant');
  await composer.press('Enter');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await expect(alert).toContainText('This reply is shown but was not saved: the browser’s storage for this app is full.');
  await expect(page.getByRole('button', { name: 'Send' })).toBeDisabled(); // empty composer, not a busy chat

  // Space again: the next message and its reply are stored and survive a reload.
  await failWrites(page, null);
  await sendMessage(page, 'After freeing space');
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(2);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await page.reload();
  await expect(page.locator('article[data-role="user"]').filter({ hasText: 'After freeing space' })).toBeVisible();
  await expect(page.locator('article[data-role="user"]').filter({ hasText: 'A question the disk cannot take' })).toBeVisible();
});
