import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, sendMessage, setMaxNewTokens } from './app';

test.use({ viewport: { width: 360, height: 740 } });

// Several replies on a busy two-core machine.
test.describe.configure({ timeout: 240_000 });

const drawer = (page: Page) => page.getByRole('complementary', { name: 'Conversations and settings' });
const conversations = (page: Page) => page.getByRole('navigation', { name: 'Conversations' });

async function openDrawer(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Conversations', exact: true }).click();
  await expect(conversations(page)).toBeVisible();
}

async function chat(page: Page, text: string): Promise<void> {
  // Wait for the new reply, not the previous one, which is already complete.
  const replies = await page.locator('article[data-role="assistant"]').count();
  await sendMessage(page, text);
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

/** Nothing is wider than the screen: no sideways scrolling. */
async function expectNoHorizontalScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

test('at 360 px the conversation list is a drawer: open it, pick a conversation, send and read a reply', async ({ page }) => {
  await openReadyApp(page);
  // The chat gets the whole screen; the list waits behind a button.
  await expect(conversations(page)).toBeHidden();
  await expect(page.getByLabel('Message')).toBeInViewport();
  await expectNoHorizontalScroll(page);

  await openDrawer(page);
  await page.keyboard.press('Escape');
  await expect(conversations(page)).toBeHidden();
  await expect(page.getByRole('button', { name: 'Conversations', exact: true })).toBeFocused();
  // Settings opens from the drawer; once closed, focus is back on the drawer's button.
  await setMaxNewTokens(page, 8);
  await expect(page.getByRole('button', { name: 'Conversations', exact: true })).toBeFocused();

  await chat(page, 'First chat');
  await openDrawer(page);
  await conversations(page).getByRole('button', { name: '+ New conversation' }).click();
  await expect(conversations(page)).toBeHidden();
  await chat(page, 'Second chat');

  await openDrawer(page);
  await conversations(page).getByRole('button', { name: 'First chat' }).click();
  await expect(conversations(page)).toBeHidden();
  await expect(page.locator('article[data-role="user"]')).toHaveText([/First chat/]);

  await chat(page, 'Tell me more');
  const reply = lastBotMessage(page);
  await expect(reply).toBeInViewport();
  expect(((await reply.locator('.content').textContent()) ?? '').length).toBeGreaterThan(0);
  await expect(page.locator('article[data-role="user"]')).toHaveText([/First chat/, /Tell me more/]);
  await expectNoHorizontalScroll(page);
});

test('a long code line scrolls inside its block instead of widening the page', async ({ page }) => {
  await openReadyApp(page);
  await openDrawer(page);
  await setMaxNewTokens(page, 4);
  await page.keyboard.press('Escape');
  await sendMessage(page, `\`\`\`\n${'x'.repeat(300)}\n\`\`\`\n\n${'word'.repeat(100)}`);
  await expect(page.locator('article[data-role="user"] pre')).toBeVisible();
  await expectNoHorizontalScroll(page);
});
