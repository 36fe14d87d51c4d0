/**
 * Issue 17 (5): habits users bring from other chat apps — "Copy reply" under every finished reply,
 * and a name and tooltip on every icon-only button.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, sendMessage } from './app';
import { overwriteReplies } from './browser-storage';

test.describe.configure({ timeout: 180_000 });

const MARKDOWN_REPLY = '**Bold** words, a list:\n\n- one\n- two\n\n```js\nconsole.log(1)\n```';

async function replyOnce(page: Page, text: string): Promise<void> {
  const before = await page.locator('article[data-role="assistant"]').count();
  await sendMessage(page, text);
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(before + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

/** Replaces every stored reply's text (as a model might have written it) and shows it again. */
async function storeReplyText(page: Page, content: string): Promise<void> {
  await overwriteReplies(page, content);
  await page.reload();
  await expect(lastBotMessage(page)).toBeVisible();
}

test('"Copy reply" copies the reply as its markdown source and says "Copied"; a refused clipboard is said so', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openReadyApp(page);
  await replyOnce(page, 'Show me some markdown');
  await storeReplyText(page, MARKDOWN_REPLY);

  const reply = lastBotMessage(page);
  const copy = reply.getByRole('button', { name: 'Copy reply' });
  await expect(copy).toHaveAttribute('title', 'Copy reply');
  // Next to the code block's own Copy button, which copies only the code.
  await expect(reply.getByRole('button', { name: /Copy js code/ })).toBeVisible();
  await copy.click();
  await expect(copy).toHaveText('Copied');
  await expect(reply.getByRole('status').filter({ hasText: 'Reply copied' })).toBeAttached();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(MARKDOWN_REPLY);
  await expect(copy).toHaveText('Copy', { timeout: 5_000 });

  // The user message has no Copy reply; only finished replies do.
  await expect(page.locator('article[data-role="user"]').getByRole('button', { name: 'Copy reply' })).toHaveCount(0);

  // A browser that refuses the clipboard: the button says so rather than pretending.
  await page.evaluate(() => {
    navigator.clipboard.writeText = () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'));
  });
  await copy.click();
  await expect(copy).toHaveText('Copy failed');
  await expect(reply.getByRole('status').filter({ hasText: 'Could not copy' })).toBeAttached();
  await expect(reply).toContainText('Select the text and copy it instead.');
});

/** Visible buttons whose accessible name is empty, and icon-only ones (no letter or digit shown) without a tooltip. */
async function unnamedButtons(page: Page): Promise<{ unnamed: string[]; untitled: string[]; checked: number }> {
  const buttons = page.getByRole('button');
  const unnamed: string[] = [];
  const untitled: string[] = [];
  let checked = 0;
  for (const button of await buttons.all()) {
    if (!(await button.isVisible())) continue;
    checked++;
    const html = await button.evaluate((el) => el.outerHTML.slice(0, 160));
    if (!(await hasName(button))) unnamed.push(html);
    // A file input counts as a button but shows no glyph, nor does a drawer's dimmed backdrop (an
    // empty button): only their names matter.
    const shown = await button.evaluate((el) => (el instanceof HTMLInputElement || (el.childElementCount === 0 && !el.textContent?.trim()) ? null : (el as HTMLElement).innerText));
    const iconOnly = shown !== null && !/[\p{L}\p{N}]/u.test(shown);
    if (iconOnly && !((await button.getAttribute('title')) ?? '').trim()) untitled.push(html);
  }
  return { unnamed, untitled, checked };
}

async function hasName(button: Locator): Promise<boolean> {
  try {
    await expect(button).toHaveAccessibleName(/\S/, { timeout: 1_000 });
    return true;
  } catch {
    return false;
  }
}

test('every visible button has an accessible name, and every icon-only one a tooltip, on a desktop and a phone', async ({ page }) => {
  await openReadyApp(page);
  await replyOnce(page, 'Hello there');
  // A second version, so the version switcher's arrows are on screen too.
  await lastBotMessage(page).getByRole('button', { name: 'Regenerate reply' }).click();
  await expect(lastBotMessage(page).getByTestId('version')).toHaveText('2/2');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  await expect(lastBotMessage(page).getByRole('button', { name: 'Previous version' })).toBeVisible();
  await expect(lastBotMessage(page).getByRole('button', { name: 'Good reply' })).toBeVisible();
  await expect(lastBotMessage(page).getByRole('button', { name: 'Copy reply' })).toBeVisible();

  for (const size of [{ width: 1280, height: 860 }, { width: 360, height: 740 }]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    const { unnamed, untitled, checked } = await unnamedButtons(page);
    expect(checked, `buttons checked at ${size.width} px`).toBeGreaterThan(5);
    expect(unnamed, `buttons without a name at ${size.width} px`).toEqual([]);
    expect(untitled, `icon-only buttons without a tooltip at ${size.width} px`).toEqual([]);
  }
});

test('buttons in the panels (Models, System prompt, Settings) and the phone drawer have names, and icon-only ones tooltips', async ({ page }) => {
  await openReadyApp(page);
  for (const size of [{ width: 1280, height: 860 }, { width: 360, height: 740 }]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(300);
    const openers = page.locator('button[aria-haspopup="dialog"]');
    const names = [];
    for (const opener of await openers.all()) if (await opener.isVisible()) names.push((await opener.textContent())?.trim() ?? '');
    expect(names.length, `panels that open as dialogs at ${size.width} px`).toBeGreaterThan(0);
    for (const name of names) {
      await page.locator('button[aria-haspopup="dialog"]').filter({ hasText: name }).first().click();
      await expect(page.locator('dialog[open]')).toBeVisible();
      const { unnamed, untitled } = await unnamedButtons(page);
      expect(unnamed, `buttons without a name with ${name} open at ${size.width} px`).toEqual([]);
      expect(untitled, `icon-only buttons without a tooltip with ${name} open at ${size.width} px`).toEqual([]);
      await page.keyboard.press('Escape');
      await expect(page.locator('dialog[open]')).toHaveCount(0);
    }
  }
  // The phone's conversation drawer.
  const toggle = page.locator('button[aria-controls="sidebar"]');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await page.waitForTimeout(300);
  const { unnamed, untitled } = await unnamedButtons(page);
  expect(unnamed, 'buttons without a name in the drawer').toEqual([]);
  expect(untitled, 'icon-only buttons without a tooltip in the drawer').toEqual([]);
});
