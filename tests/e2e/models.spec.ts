import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { closePanels, lastBotMessage, openPanel, openReadyApp, prefillFigures, sendMessage, setMaxNewTokens } from './app';
import { startModelHost, type ModelHost } from './model-host';

const DEMO_FOLDER = fileURLToPath(new URL('../../public/models/demo-chat-tiny/', import.meta.url));
/** Shaped like large Hub exports: external data, a 152k vocabulary, two EOS ids (`npm run models:fixtures`). */
const HUB_SHAPED_FOLDER = fileURLToPath(new URL('../../.tmp/fixture-models/fixture-chat-hub-shapes/', import.meta.url));
/** A byte-level BPE tokenizer with Llama-3's headers and template, and two EOS ids. */
const LLAMA3_FOLDER = fileURLToPath(new URL('../../.tmp/fixture-models/fixture-chat-llama3-bpe/', import.meta.url));
/** Attention as com.microsoft GroupQueryAttention, as onnxruntime-genai exports have it. */
const GQA_FOLDER = fileURLToPath(new URL('../../.tmp/fixture-models/fixture-chat-gqa/', import.meta.url));
const DEMO_LABEL = 'Demo model (tiny, built on this machine)';

let host: ModelHost;

test.beforeAll(async () => {
  host = await startModelHost({
    // ~2.5 MB/s: a download of the demo's q8 files (5.3 MB) takes about two seconds.
    'test/chat-ok': { folder: DEMO_FOLDER, bytesPerTick: 64 * 1024 },
    // ~160 KB/s: slow enough to cancel halfway.
    'test/chat-slow': { folder: DEMO_FOLDER, bytesPerTick: 4 * 1024 },
    'test/chat-missing': { folder: DEMO_FOLDER, bytesPerTick: 64 * 1024, missing: ['tokenizer.json'] },
    'test/chat-truncated': {
      folder: DEMO_FOLDER,
      bytesPerTick: 64 * 1024,
      truncated: { 'onnx/model_quantized.onnx': 0.6 },
    },
    // A catalog repo id on the mirror, so "Check size" has a host to ask (the demo's files stand in).
    'HuggingFaceTB/SmolLM2-360M-Instruct': { folder: DEMO_FOLDER, bytesPerTick: 64 * 1024 },
  });
});

test.afterAll(async () => {
  await host?.close();
});

async function openModels(page: Page): Promise<void> {
  await openPanel(page, 'Models');
}

async function useHost(page: Page, url: string): Promise<void> {
  await openModels(page);
  await page.getByLabel('Model host').fill(url);
  await page.getByRole('button', { name: 'Save host' }).click();
  await expect(page.getByRole('button', { name: 'Save host' })).toBeDisabled();
}

async function downloadRepo(page: Page, repo: string): Promise<void> {
  await page.getByLabel('Hub repo id (transformers.js layout)').fill(repo);
  await page.getByRole('button', { name: 'Download repo' }).click();
}

/** Cache API keys (URLs) of one repo downloaded from the test host, read in the page. */
async function cachedFiles(page: Page, repo: string): Promise<string[]> {
  const prefix = `${host.url}/${repo}/resolve/main/`;
  return page.evaluate(async (prefix) => {
    const cache = await caches.open('transformers-cache');
    return (await cache.keys()).map((r) => r.url).filter((url) => url.startsWith(prefix)).map((url) => url.slice(prefix.length));
  }, prefix);
}

async function expectModelInUse(page: Page, label: string): Promise<void> {
  const status = page.getByRole('region', { name: 'Model status' });
  await expect(status.locator('strong')).toHaveText(label, { timeout: 90_000 });
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 90_000 });
}

async function expectChatWorks(page: Page): Promise<void> {
  await setMaxNewTokens(page, 8);
  const replies = await page.locator('article[data-role="assistant"]').count();
  await sendMessage(page, 'Hello again');
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(replies + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

/** "1.2 MB of 3.3 MB" → 1_200_000. */
function loadedBytes(text: string): number {
  const match = /^([\d.]+) (B|KB|MB|GB) of/.exec(text.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[match[2] as 'B' | 'KB' | 'MB' | 'GB'];
}

test('a model from a mirror host downloads with growing progress, is stored, loads again with the host unreachable, and deleting it frees the space', async ({ page }) => {
  // Two model loads, a reload and two replies: more than one usual test's worth of work.
  test.setTimeout(240_000);
  await openReadyApp(page);
  await useHost(page, host.url);
  // Record every byte count the progress line shows while the download runs.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { bytesSeen: string[] }).bytesSeen = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="download-bytes"]')?.textContent ?? '';
      if (text && seen.at(-1) !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  await downloadRepo(page, 'test/chat-ok');
  await expectModelInUse(page, 'test/chat-ok');
  await expect(page.getByRole('status').filter({ hasText: 'test/chat-ok is downloaded and stored' })).toBeVisible();

  const seen = await page.evaluate(() => (window as unknown as { bytesSeen: string[] }).bytesSeen);
  const counts = seen.map(loadedBytes).filter((n) => Number.isFinite(n));
  expect(counts.length).toBeGreaterThanOrEqual(3);
  for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
  expect(counts.at(-1)!).toBeGreaterThan(counts[0]!);
  expect(counts.at(-1)!).toBeGreaterThan(3_000_000);

  const row = page.getByTestId('model-row').filter({ hasText: 'test/chat-ok' });
  await expect(row.getByTestId('model-size')).toContainText(/Stored on this device · 5\.\d MB · q8/);
  expect(await cachedFiles(page, 'test/chat-ok')).toEqual(
    expect.arrayContaining(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx']),
  );
  await expectChatWorks(page);

  // The choice survives a reload, and the model comes from the cache: the host is not asked.
  const requestsBefore = host.requests.length;
  await page.route(`${host.url}/**`, (route) => route.abort());
  await page.reload();
  await expectModelInUse(page, 'test/chat-ok');
  expect(host.requests.length).toBe(requestsBefore);
  await expectChatWorks(page);

  await openModels(page);
  await page.getByRole('button', { name: 'Delete test/chat-ok' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Deleted test\/chat-ok; 5\.\d MB freed/ })).toBeVisible();
  await expectModelInUse(page, DEMO_LABEL);
  expect(await cachedFiles(page, 'test/chat-ok')).toEqual([]);
  await expect(page.getByTestId('model-row').filter({ hasText: 'test/chat-ok' })).toHaveCount(0);
});

test('cancelling a download keeps nothing of it and the demo model chats again', async ({ page }) => {
  await openReadyApp(page);
  await useHost(page, host.url);
  await downloadRepo(page, 'test/chat-slow');
  await expect.poll(async () => loadedBytes((await page.getByTestId('download-bytes').textContent()) ?? '')).toBeGreaterThan(100_000);
  await page.getByRole('button', { name: 'Cancel download' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Download of test/chat-slow cancelled' })).toBeVisible();
  await expectModelInUse(page, DEMO_LABEL);
  expect(await cachedFiles(page, 'test/chat-slow')).toEqual([]);
  // A write the shut-down worker had under way must not surface later either.
  await page.waitForTimeout(1500);
  expect(await cachedFiles(page, 'test/chat-slow')).toEqual([]);
  await expectChatWorks(page);
});

test('a model whose host lacks a file shows what is missing, stores nothing and the demo model still chats', async ({ page }) => {
  await openReadyApp(page);
  await useHost(page, host.url);
  await downloadRepo(page, 'test/chat-missing');
  await expect(page.getByRole('alert').filter({ hasText: 'tokenizer.json' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'tokenizer.json' })).toContainText('transformers.js layout');
  expect(await cachedFiles(page, 'test/chat-missing')).toEqual([]);
  await expectModelInUse(page, DEMO_LABEL);
  await expectChatWorks(page);
});

test('a truncated .onnx on the host shows a damaged-file error, stores nothing and the demo model still chats', async ({ page }) => {
  await openReadyApp(page);
  await useHost(page, host.url);
  await downloadRepo(page, 'test/chat-truncated');
  const alert = page.getByRole('alert').filter({ hasText: 'damaged or incomplete' });
  await expect(alert).toBeVisible({ timeout: 90_000 });
  await expect(alert).toContainText('Nothing of it was kept');
  expect(await cachedFiles(page, 'test/chat-truncated')).toEqual([]);
  await expectModelInUse(page, DEMO_LABEL);
  await expectChatWorks(page);
});

test('a plain-http host other than localhost is refused', async ({ page }) => {
  await openReadyApp(page);
  await openModels(page);
  await page.getByLabel('Model host').fill('http://models.example.com');
  await page.getByRole('button', { name: 'Save host' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'must use https://' })).toBeVisible();
  await expect(page.getByTestId('model-row').first()).toBeVisible();
  await expect(page.getByTestId('model-row').filter({ hasText: 'SmolLM2' }).getByTestId('model-size')).toContainText('https://huggingface.co');
});

test('every catalog model shows its download size before anything is downloaded, and "Check size" replaces it with the host\'s exact bytes', async ({ page }) => {
  await openReadyApp(page);
  await openModels(page);
  const sizes = page.getByTestId('model-row').filter({ hasNotText: DEMO_LABEL }).getByTestId('model-size');
  await expect(sizes).toHaveCount(3);
  for (const label of ['SmolLM2 360M Instruct', 'Qwen2.5 0.5B Instruct', 'Llama 3.2 1B Instruct']) {
    const size = page.getByTestId('model-row').filter({ hasText: label }).getByTestId('model-size');
    // The published figures run from about 301 MB to about 4.9 GB.
    await expect(size).toContainText(/Download for this device: about \d+(\.\d)? (MB|GB)\s+\((fp32|fp16|q8|q4|q4f16) on (WebGPU|WebAssembly)\)/);
  }
  await expect(sizes.filter({ hasText: /size (not published|unknown)/ })).toHaveCount(0);

  await useHost(page, host.url);
  const smol = page.getByTestId('model-row').filter({ hasText: 'SmolLM2 360M Instruct' });
  await smol.getByRole('button', { name: 'Check download size of SmolLM2 360M Instruct' }).click();
  // The mirror serves the demo's few MB under this repo id: the figure is the host's, not the catalog's.
  await expect(smol.getByTestId('model-size')).toContainText(/Download for this device: \d{1,2}(\.\d)? MB\s+\(/);
  await expect(smol.getByTestId('model-size')).not.toContainText('about');
  await expect(smol.getByRole('button', { name: /Check download size/ })).toHaveCount(0);
  expect(host.requests.filter((request) => request.includes('/HuggingFaceTB/SmolLM2-360M-Instruct/resolve/main/onnx/')).length).toBeGreaterThan(0);
  // Asking for sizes downloads nothing.
  expect(await cachedFiles(page, 'HuggingFaceTB/SmolLM2-360M-Instruct')).toEqual([]);
});

test('a model folder imported with every network request blocked loads and replies, storing only the dtype it runs', async ({ page, context }) => {
  const parent = mkdtempSync(join(tmpdir(), 'model-import-'));
  const folder = join(parent, 'my-offline-model');
  mkdirSync(join(folder, 'onnx'), { recursive: true });
  // Three dtypes, as Hub folders hold several: only q8 (what WASM runs) should be stored.
  for (const file of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx', 'onnx/model.onnx', 'onnx/model_q4.onnx']) {
    cpSync(join(DEMO_FOLDER, file), join(folder, file));
  }
  try {
    await openReadyApp(page);
    await openModels(page);
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      blocked.push(route.request().url());
      return route.abort();
    });

    await page.getByLabel('Import a model folder (works offline)').setInputFiles(folder);
    await expectModelInUse(page, 'my-offline-model (imported folder)');
    await expect(page.getByRole('status').filter({ hasText: 'is imported and stored' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Only its q8 weights were stored' })).toContainText('onnx/model.onnx');
    await expect(page.getByTestId('model-row').filter({ hasText: 'my-offline-model' }).getByTestId('model-size')).toContainText(
      /Stored on this device · 5\.\d MB · q8/,
    );
    await expectChatWorks(page);
    // The page really was cut off: whatever it tried to fetch was refused.
    expect(blocked.every((url) => !url.includes('/resolve/'))).toBe(true);
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
});

test('a model folder dropped on the Models panel imports like a chosen one; the drop zone is labelled, lights up under a drag, and keeps a keyboard control', async ({ page }) => {
  await openReadyApp(page);
  await openModels(page);
  const zone = page.getByTestId('folder-drop-zone');
  await expect(zone).toContainText('Drop a model folder here, or choose one');
  // The keyboard's way in: the folder input, named by the zone's words, reachable with Tab.
  const input = page.getByLabel('Import a model folder (works offline)');
  await expect(input).toHaveAccessibleName(/Drop a model folder here, or choose one/);
  await expect(input).not.toHaveAttribute('tabindex', '-1');
  await input.focus();
  await expect(input).toBeFocused();

  // Files dragged over the zone light it up; leaving puts it back.
  const dragged = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['{}'], 'config.json', { type: 'application/json' }));
    return transfer;
  });
  await zone.dispatchEvent('dragenter', { dataTransfer: dragged });
  await expect(zone).toContainText('Drop to import this folder');
  await expect(zone).toHaveClass(/\bover\b/);
  await zone.dispatchEvent('dragleave', { dataTransfer: dragged });
  await expect(zone).toContainText('Drop a model folder here, or choose one');

  // A dropped folder: the browser hands it over as a directory entry, which a test cannot make, so
  // the entry a real drop would give is stood in for, over the demo model's real files.
  await page.evaluate(async () => {
    const paths = ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model_quantized.onnx'];
    const files = await Promise.all(paths.map(async (path) => new File([await (await fetch(`/models/demo-chat-tiny/${path}`)).blob()], path.split('/').pop()!)));
    type Node = { isFile: boolean; isDirectory: boolean; name: string };
    const fileNode = (file: File): Node => ({ isFile: true, isDirectory: false, name: file.name, file: (ok: (f: File) => void) => ok(file) } as Node);
    const dirNode = (name: string, children: Node[]): Node =>
      ({ isFile: false, isDirectory: true, name, createReader: () => { let read = false; return { readEntries: (ok: (e: Node[]) => void) => { ok(read ? [] : children); read = true; } }; } }) as Node;
    const onnx = dirNode('onnx', [fileNode(files[4]!)]);
    const folder = dirNode('dropped-model', [...files.slice(0, 4).map(fileNode), onnx]);
    DataTransferItem.prototype.webkitGetAsEntry = function () { return folder as unknown as FileSystemEntry; };
  });
  const dropped = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([''], 'dropped-model'));
    return transfer;
  });
  await zone.dispatchEvent('drop', { dataTransfer: dropped });
  await expectModelInUse(page, 'dropped-model (imported folder)');
  await expect(page.getByRole('status').filter({ hasText: 'dropped-model (imported folder) is imported and stored' })).toBeVisible();
});

/**
 * Copies a built fixture model folder to a temporary one named `name`, imports it through the
 * Models panel and waits until it is the model in use; removes the copy afterwards.
 */
async function withImportedFolder(page: Page, source: string, name: string, body: () => Promise<void>, filter?: (source: string) => boolean): Promise<void> {
  const parent = mkdtempSync(join(tmpdir(), 'model-import-'));
  const folder = join(parent, name);
  cpSync(source, folder, { recursive: true, ...(filter ? { filter } : {}) });
  try {
    await openReadyApp(page);
    await openModels(page);
    await page.getByLabel('Import a model folder (works offline)').setInputFiles(folder);
    await expectModelInUse(page, `${name} (imported folder)`);
    await body();
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
}

async function sendAndWaitForReply(page: Page, text: string): Promise<void> {
  const before = await page.locator('article[data-role="assistant"]').count();
  await sendMessage(page, text);
  await expect(page.locator('article[data-role="assistant"]')).toHaveCount(before + 1);
  await expect(lastBotMessage(page)).toHaveAttribute('data-status', 'complete');
}

test('a folder shaped like a Hub export (weights in .onnx_data, a 152k vocabulary) imports its q8 with its external data and chats', async ({ page }) => {
  await withImportedFolder(page, HUB_SHAPED_FOLDER, 'hub-shaped-model', async () => {
    const status = page.getByRole('status').filter({ hasText: 'is imported and stored' });
    await expect(status).toContainText('Only its q8 weights were stored');
    await expect(status).toContainText('onnx/model_q4.onnx');
    // q8's .onnx and its 4.9 MB .onnx_data, with the tokenizer: not the 42 MB of the others.
    await expect(page.getByTestId('model-row').filter({ hasText: 'hub-shaped-model' }).getByTestId('model-size')).toContainText(
      /Stored on this device · 1[01]\.\d MB · q8/,
    );
    await expectChatWorks(page);
    await expect(lastBotMessage(page).getByTestId('metrics')).toContainText('WASM · q8');
  });
});

test('a byte-level BPE model with a Llama-3 template chats, and its second turn prefills only the new message and the headers', async ({ page }) => {
  await withImportedFolder(page, LLAMA3_FOLDER, 'llama3-shaped-model', async () => {
    await setMaxNewTokens(page, 8);
    await sendAndWaitForReply(page, 'Où est la rivière? 🙂');
    await sendAndWaitForReply(page, 'And again');
    const { prefilled, prompt } = await prefillFigures(page);
    // <|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnd again<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n
    expect(prefilled).toBeGreaterThan(0);
    expect(prefilled).toBeLessThanOrEqual(30);
    expect(prompt).toBeGreaterThan(40);
  });
});

/**
 * On the model in use (window 320): best-of-3 shows three candidates; then `turnCount` turns outgrow the
 * window, trim rarely, and every other turn prefills only its message and the template's glue.
 */
async function expectBestOfAndTrimming(page: Page, turnCount = 10): Promise<void> {
  await setMaxNewTokens(page, 8);
  await openPanel(page, 'Settings');
  const bestOf = page.getByLabel('Best of N');
  await bestOf.fill('3');
  await bestOf.press('Tab');
  await sendAndWaitForReply(page, 'Pick the best of three');
  await lastBotMessage(page).getByRole('button', { name: 'Look inside' }).click();
  await expect(lastBotMessage(page).getByTestId('look-inside').getByTestId('candidate')).toHaveCount(3);
  await openPanel(page, 'Settings');
  await bestOf.fill('1');
  await bestOf.press('Tab');
  await closePanels(page);

  const turns: Array<{ prefilled: number; prompt: number }> = [];
  for (let turn = 0; turn < turnCount; turn++) {
    await sendAndWaitForReply(page, `Turn ${turn}: tell me more`);
    turns.push(await prefillFigures(page));
  }
  // A trim shows as a prompt shorter than the turn before's.
  const trims = turns.filter((t, i) => i > 0 && t.prompt < turns[i - 1]!.prompt);
  expect(trims.length, JSON.stringify(turns)).toBeGreaterThan(0);
  expect(trims.length, JSON.stringify(turns)).toBeLessThanOrEqual(4);
  for (const [i, t] of turns.entries()) {
    // Glue and message ("Turn 9: tell me more" and the headers): ~35 ids; a re-prefill is over 100.
    if (i > 0 && !trims.includes(t)) expect(t.prefilled, JSON.stringify(turns)).toBeLessThanOrEqual(50);
  }
  await lastBotMessage(page).getByRole('button', { name: 'Look inside' }).click();
  await expect(lastBotMessage(page).getByTestId('look-inside')).toContainText(/Turns dropped to fit\s*[1-9]/);
}

test('on the Llama-3-shaped model, best-of-3 shows three candidates, and a conversation past its 320-token window trims rarely and extends its cache', async ({ page }) => {
  test.setTimeout(180_000);
  await withImportedFolder(page, LLAMA3_FOLDER, 'llama3-shaped-model', () => expectBestOfAndTrimming(page));
});

test('a q4f16-only Hub-shaped folder (fp16 weights and KV, external data, 152k vocabulary) runs on WASM: best-of-3, reuse and trimming', async ({ page }) => {
  test.setTimeout(240_000);
  // Only the q4f16 weights, as some Hub repos ship for WebGPU: WASM runs it rather than refusing.
  const onlyQ4f16 = (source: string) => !/model(_quantized|_q4)?\.onnx(_data)?$/.test(source);
  await withImportedFolder(page, HUB_SHAPED_FOLDER, 'q4f16-only-model', async () => {
    await expect(page.getByTestId('model-row').filter({ hasText: 'q4f16-only-model' }).getByTestId('model-size')).toContainText(/· q4f16/);
    // Its ChatML turns are shorter than Llama-3's headers: it takes more of them to fill 320.
    await expectBestOfAndTrimming(page, 14);
    await expect(lastBotMessage(page).getByTestId('metrics')).toContainText('WASM · q4f16');
  }, onlyQ4f16);
});

test('a GroupQueryAttention model (com.microsoft node, RoPE inside) runs on WASM: best-of-3, reuse and trimming', async ({ page }) => {
  test.setTimeout(180_000);
  await withImportedFolder(page, GQA_FOLDER, 'gqa-model', async () => {
    await expectBestOfAndTrimming(page);
    await expect(lastBotMessage(page).getByTestId('metrics')).toContainText('WASM · q8');
  });
});
