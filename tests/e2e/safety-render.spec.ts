import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { closePanels, lastBotMessage, openReadyApp, openSettings, sendMessage, setMaxNewTokens } from './app';
import { overwriteReplies, wipeDatabase } from './browser-storage';

// Each test loads the app (and its model) several times; on a busy two-core machine that takes minutes.
test.describe.configure({ timeout: 240_000 });

/** A reply that tries every way we know for model output to run script or phone home. */
const PAYLOAD = [
  'Here are some tricks:',
  `<script>window.xssRan = 'script'; console.log('XSS-RAN script')</script>`,
  `<img src=x onerror="window.xssRan = 'img'; alert('XSS img')">`,
  `[click me](javascript:alert('XSS link'))`,
  `<svg onload="alert('XSS svg')"><script>alert('XSS svg script')</script></svg>`,
  `<iframe src="javascript:alert('XSS iframe')"></iframe>`,
  `<a href="javascript:alert('XSS anchor')">anchor</a>`,
  `[data link](data:text/html,<script>alert('XSS data')</script>)`,
  `![tracking pixel](https://tracker.example/pixel.png)`,
  `<details open ontoggle="alert('XSS details')">x</details>`,
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(\'XSS math\')>',
  '```html\n<script>alert("XSS in code")</script>\n```',
].join('\n\n');

/** Collects every sign that script ran: dialogs, console lines, page errors, requests for payload URLs. */
function watchForScript(page: Page): { signs: string[] } {
  const signs: string[] = [];
  page.on('dialog', (dialog) => {
    signs.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/XSS/i.test(message.text())) signs.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => signs.push(`page error: ${error.message}`));
  page.context().on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname === 'tracker.example' || url.pathname === '/x') signs.push(`request: ${request.url()}`);
  });
  return { signs };
}

/** The chat's DOM holds the payload as text and nothing that can run or load. */
async function expectInertChat(page: Page): Promise<void> {
  const reply = lastBotMessage(page);
  await expect(reply.locator('.content')).toContainText(`<script>window.xssRan = 'script'`);
  await expect(reply.locator('.content')).toContainText('click me');
  const dangerous = await page.locator('.chat').evaluate((chat) => {
    const found: string[] = [];
    for (const element of chat.querySelectorAll('*')) {
      // The app's own icons (thumbs) are drawn as SVG by our code, never from model output.
      if (element.closest('svg[data-app-icon]')) continue;
      const tag = element.tagName.toLowerCase();
      if (['script', 'iframe', 'svg', 'img', 'object', 'embed', 'style', 'math', 'details'].includes(tag)) found.push(`<${tag}>`);
      for (const attribute of element.attributes) {
        if (attribute.name.startsWith('on')) found.push(`${tag}[${attribute.name}]`);
        if (attribute.name === 'href' && !/^(https?:|mailto:)/i.test(attribute.value)) found.push(`${tag}[href=${attribute.value}]`);
      }
    }
    return found;
  });
  expect(dangerous).toEqual([]);
  // And model output holds no icon markup of ours to hide behind.
  expect(await reply.locator('.content svg').count()).toBe(0);
  // A click on the disarmed link does nothing.
  await reply.getByText('click me').click();
  expect(await page.evaluate(() => (window as unknown as { xssRan?: string }).xssRan)).toBeUndefined();
}

async function reloadApp(page: Page): Promise<void> {
  await page.reload();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
}

/** Opens the stored conversation again, so the reply is rendered from IndexedDB. */
async function reopen(page: Page): Promise<void> {
  await reloadApp(page);
  await expect(lastBotMessage(page)).toBeVisible();
}

test('a stored model reply full of XSS payloads renders as inert text', async ({ page, context }) => {
  const { signs } = watchForScript(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await sendMessage(page, 'Hello');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');

  // What a hostile model might have said, written where the app keeps replies.
  await overwriteReplies(page, PAYLOAD);
  await reopen(page);

  await expectInertChat(page);
  // Code keeps its text, and its Copy button copies exactly that.
  const reply = lastBotMessage(page);
  await expect(reply.locator('pre code')).toHaveText('<script>alert("XSS in code")</script>');
  await reply.getByRole('button', { name: /Copy html code/ }).click();
  await expect(reply.getByRole('button', { name: /Copy html code/ })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('<script>alert("XSS in code")</script>\n');
  // Links that remain open in a new tab and tell the target nothing.
  await expect(reply.locator('a[href]')).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(reply.locator('a[href]')).toHaveAttribute('target', '_blank');
  expect(signs).toEqual([]);
});

test('XSS payloads in an imported backup never run', async ({ page }, testInfo) => {
  const { signs } = watchForScript(page);
  await openReadyApp(page);
  await setMaxNewTokens(page, 8);
  await sendMessage(page, 'Hello');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');

  // Take a real backup and make it hostile: every message and title becomes a payload.
  await openSettings(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export backup' }).click()]);
  const backup = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { stores: Record<string, Array<{ value: Record<string, unknown> }>> };
  for (const { value } of backup.stores.messages ?? []) value.content = PAYLOAD;
  for (const { value } of backup.stores.conversations ?? []) value.title = `<img src=x onerror="alert('XSS title')">`;
  const hostile = testInfo.outputPath('hostile-backup.json');
  writeFileSync(hostile, JSON.stringify(backup));

  await wipeDatabase(page);
  await reloadApp(page);
  await expect(page.getByText('No conversations yet.')).toBeVisible();
  await openSettings(page);
  await page.getByLabel('Import backup file').setInputFiles(hostile);
  await expect(page.getByRole('status').filter({ hasText: 'Backup imported' })).toBeVisible();
  await closePanels(page);

  const list = page.getByRole('navigation', { name: 'Conversations' });
  await expect(list).toContainText(`<img src=x onerror="alert('XSS title')">`);
  await expect(list.locator('img')).toHaveCount(0);
  await expectInertChat(page);
  await reopen(page);
  await expectInertChat(page);
  expect(signs).toEqual([]);
});
