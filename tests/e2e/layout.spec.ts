import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { closePanels, lastBotMessage, openPanel, openReadyApp, sendMessage, setMaxNewTokens } from './app';

// The message box is never hidden: with the chat alone, with each panel open over it, on a
// desktop and on a phone, light and dark. Screenshots of each state are kept with the test's
// results, to be looked at.
test.describe.configure({ timeout: 360_000 });

const SIZES = [
  { name: 'desktop', width: 1280, height: 860 },
  { name: 'phone', width: 360, height: 740 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

type Box = { top: number; bottom: number; left: number; right: number };

async function box(page: Page, selector: string): Promise<Box | null> {
  return page.evaluate((css) => {
    const element = document.querySelector(css);
    if (!element) return null;
    const { top, bottom, left, right } = element.getBoundingClientRect();
    return { top, bottom, left, right };
  }, selector);
}

/** The composer lies wholly inside the viewport, and `over` (a panel) does not cover any of it. */
async function expectComposerInView(page: Page, state: string, over?: string): Promise<void> {
  const viewport = page.viewportSize()!;
  const composer = await box(page, 'form.composer');
  expect(composer, `${state}: a composer`).not.toBeNull();
  expect(composer!.top, `${state}: composer top in view`).toBeGreaterThanOrEqual(0);
  expect(composer!.bottom, `${state}: composer bottom in view`).toBeLessThanOrEqual(viewport.height + 0.5);
  expect(composer!.right, `${state}: composer not cut on the right`).toBeLessThanOrEqual(viewport.width + 0.5);
  if (!over) return;
  const panel = await box(page, over);
  expect(panel, `${state}: the panel is shown`).not.toBeNull();
  const overlaps = panel!.bottom > composer!.top + 0.5 && panel!.top < composer!.bottom && panel!.right > composer!.left && panel!.left < composer!.right;
  expect(overlaps, `${state}: the panel ends above the composer`).toBe(false);
}

async function keep(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: 'image/png' });
}

/** Sizes change with a transition on the phone drawer; let it finish before measuring. */
async function resize(page: Page, size: { width: number; height: number }): Promise<void> {
  await page.setViewportSize(size);
  await page.waitForTimeout(400);
}

for (const scheme of SCHEMES) {
  test(`${scheme}: the composer stays in view with Models, System prompt, Settings or the model details open, at 1280 × 860 and 360 × 740`, async ({ page }, info) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openReadyApp(page);
    await setMaxNewTokens(page, 120);
    await sendMessage(page, 'Hello! Tell me something long, please.');
    await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete', { timeout: 60_000 });

    for (const size of SIZES) {
      await resize(page, size);
      const state = `${scheme} ${size.name}`;
      await expectComposerInView(page, `${state}, nothing open`);
      await keep(page, info, `${size.width}-${scheme}-chat`);

      for (const panel of ['Models', 'System prompt', 'Settings'] as const) {
        await openPanel(page, panel);
        // On a phone the drawer may still be sliding away.
        await page.waitForTimeout(300);
        await expectComposerInView(page, `${state}, ${panel} open`, 'dialog[open]');
        await keep(page, info, `${size.width}-${scheme}-${panel.toLowerCase().replace(' ', '-')}`);
        await closePanels(page);
      }

      await page.locator('[aria-controls="model-details"]').click();
      await expect(page.getByRole('region', { name: 'Model details' })).toBeVisible();
      await expectComposerInView(page, `${state}, model details open`);
      await keep(page, info, `${size.width}-${scheme}-model-details`);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('region', { name: 'Model details' })).toBeHidden();
    }
  });
}

test('at 360 × 740 with the model loaded and nothing open, the chat keeps at least 70% of the height', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openReadyApp(page);
  // As a first visit shows it: the demo model's note and the "works offline" notice are both up.
  await expect(page.getByTestId('model-note')).toBeVisible();
  const chat = (await box(page, '.chat'))!;
  const share = (chat.bottom - chat.top) / 740;
  console.log(`chat share of the height at 360 × 740: ${(share * 100).toFixed(1)}%`);
  expect(share).toBeGreaterThanOrEqual(0.7);
});

test('the model note can be dismissed and stays dismissed after a reload; its text stays in the model details', async ({ page }) => {
  await openReadyApp(page);
  const note = page.getByTestId('model-note');
  await expect(note).toContainText('Untrained');
  await note.getByRole('button', { name: 'Dismiss this note' }).click();
  await expect(note).toBeHidden();
  await page.reload();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
  await expect(note).toBeHidden();
  await page.locator('[aria-controls="model-details"]').click();
  await expect(page.getByRole('region', { name: 'Model details' })).toContainText('Untrained');
});

test('a panel traps focus, closes with Esc (keeping an edit made just before), and gives focus back to its button', async ({ page }) => {
  await openReadyApp(page);
  await openPanel(page, 'Settings');
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => !!document.activeElement?.closest('dialog[open]'));
    expect(inside, `Tab ${i + 1} stays in the panel`).toBe(true);
  }
  await expect(dialog.getByRole('button', { name: 'Export backup' })).toBeVisible();
  // An edit closed with Esc at once is kept (fields save when they lose focus).
  await dialog.getByLabel('Default system prompt').fill('Answer in haiku.');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toBeFocused();
  await openPanel(page, 'Settings');
  await expect(dialog.getByLabel('Default system prompt')).toHaveValue('Answer in haiku.');
  // A click on the dimmed chat around the panel closes it too.
  await page.mouse.click(300, 400);
  await expect(dialog).toBeHidden();
});

test('offline, "Check size" in Models says what happened without pushing the message box off the screen', async ({ page, context }) => {
  await openReadyApp(page);
  await context.setOffline(true);
  try {
    for (const size of SIZES) {
      await resize(page, size);
      await openPanel(page, 'Models');
      await page.getByRole('button', { name: /^Check download size/ }).first().click();
      await expect(page.getByRole('dialog', { name: 'Models' }).or(page.getByRole('alert')).first()).toContainText(/offline|network|reach|connect/i);
      await expectComposerInView(page, `offline check size, ${size.name}`, 'dialog[open]');
      await closePanels(page);
      await expectComposerInView(page, `offline check size closed, ${size.name}`);
    }
  } finally {
    await context.setOffline(false);
  }
});
