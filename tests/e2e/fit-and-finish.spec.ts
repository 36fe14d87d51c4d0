import { expect, test, type Page } from '@playwright/test';
import { lastBotMessage, openReadyApp, openSettings, setMaxNewTokens } from './app';

test.describe.configure({ timeout: 180_000 });

/** The focused element's name and whether focus is drawn around it. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    return {
      name: element.getAttribute('aria-label') || element.textContent?.trim().slice(0, 40) || element.id || element.tagName,
      tag: element.tagName,
      outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    };
  });
}

test('keyboard only: Tab reaches every control with a visible focus ring; Enter sends, Shift+Enter breaks the line, Esc stops', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 2000);
  await page.locator('body').click({ position: { x: 1, y: 1 } });

  const visited: string[] = [];
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page);
    if (!now) continue;
    expect(now.outlined, `${now.name} shows where focus is`).toBe(true);
    visited.push(now.name);
    if (now.tag === 'TEXTAREA' && now.name === 'composer-input') break;
  }
  expect(visited).toContain('+ New conversation');
  expect(visited).toContain('Settings');
  expect(visited).toContain('System prompt');
  expect(visited).toContain('Models');
  expect(visited.at(-1)).toBe('composer-input');

  await page.keyboard.type('Line one');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('Line two');
  await expect(page.getByLabel('Message')).toHaveValue('Line one\nLine two');
  await page.keyboard.press('Enter');
  await expect(page.locator('article[data-role="user"] .content')).toContainText('Line one');
  await expect(page.locator('article[data-role="user"] .content br')).toHaveCount(1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'streaming');
  await page.keyboard.press('Escape');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'partial');
});

test('screen readers hear the finished reply once, not every token', async ({ page }) => {
  await openReadyApp(page);
  await setMaxNewTokens(page, 24);
  const announcer = page.getByTestId('reply-announcer');
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { announced: string[] }).announced = seen;
    const region = document.querySelector('[data-testid="reply-announcer"]')!;
    new MutationObserver(() => seen.push(region.textContent ?? '')).observe(region, { subtree: true, childList: true, characterData: true });
  });
  await page.getByLabel('Message').fill('Hello');
  await page.getByLabel('Message').press('Enter');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  const reply = ((await lastBotMessage(page).locator('.content').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  await expect(announcer).toHaveText(`Reply finished. ${reply}`.trim());
  const announced = await page.evaluate(() => (window as unknown as { announced: string[] }).announced);
  // "replying…" once, then the whole reply once: no per-token chatter.
  expect(announced.length).toBeLessThanOrEqual(3);
});

test('auto-scroll follows the stream, pauses when the user scrolls up, and resumes at the bottom', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 500 });
  await openReadyApp(page);
  await setMaxNewTokens(page, 2000);
  await page.getByLabel('Message').fill('Tell me a long story');
  await page.getByLabel('Message').press('Enter');
  const chat = page.locator('.chat');
  const distanceFromBottom = () => chat.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  // Following: the page stays at the bottom as the reply grows past the screen.
  await expect.poll(() => chat.evaluate((el) => el.scrollHeight > el.clientHeight * 2), { timeout: 90_000 }).toBe(true);
  // Polled: text that landed in this very task is scrolled to in the frame's resize callback,
  // which a read between the two would miss (seen once on a busy machine: 407 px for one frame).
  await expect.poll(distanceFromBottom).toBeLessThanOrEqual(24);

  // The user scrolls up to read: the view stays where they put it while text keeps coming.
  await chat.evaluate((el) => el.scrollTo({ top: 0 }));
  const heightThen = await chat.evaluate((el) => el.scrollHeight);
  await expect.poll(() => chat.evaluate((el) => el.scrollHeight)).toBeGreaterThan(heightThen + 100);
  expect(await chat.evaluate((el) => el.scrollTop)).toBe(0);

  // The "Latest" pill sits below the messages, never over the text being read.
  const pill = page.getByRole('button', { name: '↓ Latest' });
  const pillBox = (await pill.boundingBox())!;
  const chatBox = (await chat.boundingBox())!;
  expect(pillBox.y, 'the pill starts below the scrolled messages').toBeGreaterThanOrEqual(chatBox.y + chatBox.height - 0.5);

  // Back at the bottom (here with the "Latest" button), following resumes.
  await pill.click();
  const heightNow = await chat.evaluate((el) => el.scrollHeight);
  await expect.poll(() => chat.evaluate((el) => el.scrollHeight)).toBeGreaterThan(heightNow + 100);
  await expect.poll(distanceFromBottom).toBeLessThanOrEqual(24);
  await page.keyboard.press('Escape');
});

test('following survives text that lands between its own scroll and that scroll’s event', async ({ page }) => {
  await page.setViewportSize({ width: 800, height: 500 });
  await openReadyApp(page);
  await page.getByLabel('Message').fill('Hello');
  await page.getByLabel('Message').press('Enter');
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });
  const chat = page.locator('.chat');
  const distanceFromBottom = () => chat.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  // Taller than the screen, followed to the bottom.
  await chat.evaluate((el) => el.lastElementChild!.append(Object.assign(document.createElement('div'), { style: 'height: 800px' })));
  await expect.poll(distanceFromBottom).toBeLessThanOrEqual(24);
  // The stream's pattern, in one task: text lands, the view scrolls to the bottom, more text
  // lands before the browser dispatches that scroll's event.
  await chat.evaluate((el) => {
    const grow = () => el.lastElementChild!.append(Object.assign(document.createElement('div'), { style: 'height: 300px' }));
    grow();
    el.scrollTop = el.scrollHeight;
    grow();
  });
  await expect.poll(distanceFromBottom).toBeLessThanOrEqual(24);
  await expect(page.getByRole('button', { name: '↓ Latest' })).toBeHidden();
});

test('the first send asks the browser to keep the data, once; settings show the storage used', async ({ page }) => {
  // Count the app's calls; the browser's own answer still comes back.
  await page.addInitScript(() => {
    const persist = navigator.storage.persist.bind(navigator.storage);
    (window as unknown as { persistCalls: number }).persistCalls = 0;
    navigator.storage.persist = () => {
      (window as unknown as { persistCalls: number }).persistCalls++;
      return persist();
    };
  });
  await openReadyApp(page);
  await setMaxNewTokens(page, 4);
  const calls = () => page.evaluate(() => (window as unknown as { persistCalls: number }).persistCalls);
  expect(await calls()).toBe(0);
  for (const text of ['One', 'Two']) {
    await page.getByLabel('Message').fill(text);
    await page.getByLabel('Message').press('Enter');
    await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
  }
  expect(await calls()).toBe(1);
  await openSettings(page);
  await expect(page.getByTestId('storage-use')).toContainText(/Storage: [\d.]+ (KB|MB|GB) used of [\d.]+ (MB|GB) available\./);
});
