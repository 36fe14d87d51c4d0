/**
 * Checks the two bare benchmark pages of issue 7 end to end, and shows how to drive them.
 * It builds nothing: first `npx vite build --config bench/vite.pages.config.ts`, then
 *
 *   npx tsx bench/pages/check-pages.ts                       # every scenario below
 *   npx tsx bench/pages/check-pages.ts --only tiny,webgpu    # some of them
 *   npx tsx bench/pages/check-pages.ts --port 4300           # uses this port and the next
 *
 * For each scenario and each page (in turn, never together: they would share the CPU), in a fresh
 * browser context: load (cold: network), generate ("1st run"), reload the page, load again (warm:
 * Cache API), a short warm-up generate, then the reported generate. Both pages get the same prompt ids, and greedy decoding must give both the same
 * tokens; the script exits 1 when they differ or a page fails.
 */
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { chromiumPath, wasmArgs, webgpuArgs } from '../../tests/chromium';
import { seededPrompt } from '../runtime/greedy-loop';
import type { BenchRaw, RawDevice, RawDtype, RawGenerateResult, RawLoadResult } from './bench-api';
import { startCheckServer } from './check-server';

interface Scenario {
  name: string;
  model: string;
  vocab: number;
  device: RawDevice;
  dtype: RawDtype;
  /** Served with COOP/COEP, so ORT may use threads (min(4, cores)); else 1 thread. */
  isolated: boolean;
  promptTokens: number;
  newTokens: number;
}

const TINY = { model: 'demo-chat-tiny', vocab: 32002 };
const SMOLLM = { model: 'bench-chat-smollm2-135m-shape', vocab: 49152 };

const SCENARIOS: Scenario[] = [
  { name: 'tiny', ...TINY, device: 'wasm', dtype: 'q8', isolated: false, promptTokens: 64, newTokens: 32 },
  // SwiftShader WebGPU is ~100× slower than wasm and has no shader-f16: fp32, few tokens.
  { name: 'webgpu', ...TINY, device: 'webgpu', dtype: 'fp32', isolated: false, promptTokens: 16, newTokens: 4 },
  { name: '135m-1t', ...SMOLLM, device: 'wasm', dtype: 'q8', isolated: false, promptTokens: 128, newTokens: 64 },
  { name: '135m-threaded', ...SMOLLM, device: 'wasm', dtype: 'q8', isolated: true, promptTokens: 128, newTokens: 64 },
];

const PAGES = ['raw-transformers', 'raw-ort'] as const;
type PageName = (typeof PAGES)[number];

interface PageRun {
  cold: RawLoadResult;
  warm: RawLoadResult;
  /** After the cold load. */
  first: RawGenerateResult;
  /** After the warm load and a short warm-up run: the figures to report. */
  second: RawGenerateResult;
}

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    port: { type: 'string', default: '4300' },
  },
});

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const basePort = Number(args.port);
const chosen = args.only ? SCENARIOS.filter((s) => args.only!.split(',').includes(s.name)) : SCENARIOS;
if (chosen.length === 0) {
  console.error(`--only matches no scenario; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

async function openPage(browser: Browser, url: string): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => console.log(`  [page error] ${error.message}`));
  // Workers' requests show up here too: a 404 says which file a runtime went looking for.
  context.on('response', (response) => {
    if (response.status() >= 400) console.log(`  [http ${response.status()}] ${new URL(response.url()).pathname}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') console.log(`  [console ${message.type()}] ${message.text()}`);
  });
  await gotoReady(page, url);
  return { page, close: () => context.close() };
}

/** Navigates (or reloads) and waits for the worker to say it is ready, or for its error. */
async function gotoReady(page: Page, url: string | null): Promise<void> {
  if (url) await page.goto(url);
  else await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true' || document.body.dataset.error !== undefined);
  const error = await page.evaluate(() => document.body.dataset.error);
  if (error) throw new Error(error);
}

type Bench = Pick<BenchRaw, 'load' | 'generate'>;
const call = <K extends keyof Bench>(page: Page, method: K, opts: Parameters<Bench[K]>[0]) =>
  page.evaluate(
    ({ method, opts }) => (window.benchRaw![method] as (o: unknown) => Promise<unknown>)(opts),
    { method, opts },
  ) as Promise<Awaited<ReturnType<Bench[K]>>>;

async function runPage(browser: Browser, origin: string, name: PageName, scenario: Scenario, promptIds: number[]): Promise<PageRun> {
  const { page, close } = await openPage(browser, `${origin}/${name}.html`);
  try {
    const loadOpts = { model: scenario.model, device: scenario.device, dtype: scenario.dtype };
    const generateOpts = { promptIds, newTokens: scenario.newTokens };
    const cold = await call(page, 'load', loadOpts);
    const first = await call(page, 'generate', generateOpts);
    await gotoReady(page, null);
    const warm = await call(page, 'load', loadOpts);
    // The first run of a fresh session pays one-off costs (seen here: TTFT ~10× the next run's),
    // so the reported run follows a short discarded one over the same prompt.
    await call(page, 'generate', { promptIds, newTokens: Math.min(4, scenario.newTokens) });
    const second = await call(page, 'generate', generateOpts);
    if (name === 'raw-transformers') await smokeTestPromptText(page);
    else await expectRejection(page, 'generate', { promptText: 'hello', newTokens: 1 }, /promptIds/);
    await expectRejection(page, 'load', { model: 'no-such-model', device: scenario.device, dtype: scenario.dtype }, /no-such-model/);
    return { cold, warm, first, second };
  } finally {
    await close();
  }
}

/** The promptText path: encoded without special tokens, so no BOS is added to an already templated prompt. */
async function smokeTestPromptText(page: Page): Promise<void> {
  const text = '<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n';
  const result = await call(page, 'generate', { promptText: text, newTokens: 2 });
  console.log(`  promptText smoke test: ${result.promptTokens} prompt ids [${result.promptIds.slice(0, 8).join(', ')}…] → ${result.tokens.join(', ')}`);
  if (result.newTokens !== 2) throw new Error(`promptText run made ${result.newTokens} tokens, not 2`);
}

async function expectRejection(page: Page, method: keyof Bench, opts: unknown, pattern: RegExp): Promise<void> {
  const message = await page.evaluate(
    ({ method, opts }) =>
      (window.benchRaw![method] as (o: unknown) => Promise<unknown>)(opts).then(
        () => null,
        (error: Error) => error.message,
      ),
    { method, opts },
  );
  if (message === null || !pattern.test(message)) throw new Error(`${method}(${JSON.stringify(opts)}) should reject matching ${pattern}, got ${message}`);
  console.log(`  rejects as expected: ${message.slice(0, 140)}`);
}

const fixed = (value: number, digits = 1) => value.toFixed(digits).padStart(9);

function report(scenario: Scenario, runs: Record<PageName, PageRun>): boolean {
  console.log(`\n${scenario.name}: ${scenario.model} ${scenario.device} ${scenario.dtype}, prompt ${scenario.promptTokens} → ${scenario.newTokens}`);
  console.log('  page               threads  cold ms (cache)  warm ms (cache)   TTFT ms  prefill/s  decode/s  | 1st run: TTFT  decode/s');
  for (const name of PAGES) {
    const { cold, warm, first, second } = runs[name];
    console.log(
      `  ${name.padEnd(18)} ${String(warm.threads).padStart(7)} ${fixed(cold.loadMs, 0)} (${cold.fromCache ? 'hit ' : 'miss'}) ${fixed(warm.loadMs, 0)} (${warm.fromCache ? 'hit ' : 'miss'}) ${fixed(second.ttftMs)} ${fixed(second.prefillTokensPerSecond)} ${fixed(second.decodeTokensPerSecond)}  | ${fixed(first.ttftMs)} ${fixed(first.decodeTokensPerSecond)}`,
    );
  }
  let ok = true;
  for (const name of PAGES) {
    const { cold, warm, second } = runs[name];
    if (cold.fromCache || !warm.fromCache) {
      console.log(`  ✗ ${name}: expected a cold miss then a warm hit`);
      ok = false;
    }
    if (second.newTokens !== scenario.newTokens || second.promptTokens !== scenario.promptTokens) {
      console.log(`  ✗ ${name}: made ${second.promptTokens} → ${second.newTokens} tokens`);
      ok = false;
    }
  }
  const options = PAGES.map((name) => runs[name].warm.sessionOptions);
  if (options[0] === options[1]) console.log(`  ✓ same session options: ${options[0]}`);
  else {
    console.log(`  ✗ session options differ:\n    transformers.js ${options[0]}\n    raw ORT         ${options[1]}`);
    ok = false;
  }
  const a = runs['raw-transformers'].second.tokens;
  const b = runs['raw-ort'].second.tokens;
  const firstDifference = a.findIndex((token, i) => token !== b[i]);
  if (firstDifference === -1 && a.length === b.length) console.log(`  ✓ same ${a.length} greedy tokens on both pages: ${a.slice(0, 12).join(', ')}…`);
  else {
    console.log(`  ✗ tokens differ from position ${firstDifference}:\n    transformers.js ${a.join(', ')}\n    raw ORT         ${b.join(', ')}`);
    ok = false;
  }
  return ok;
}

async function main(): Promise<void> {
  const servers: Server[] = [];
  const origins = { plain: `http://127.0.0.1:${basePort}`, isolated: `http://127.0.0.1:${basePort + 1}` };
  const common = { pagesDir: root('.tmp/bench-pages'), modelDirs: [root('public/models'), root('bench/models')] };
  servers.push(await startCheckServer({ ...common, port: basePort, isolated: false }));
  servers.push(await startCheckServer({ ...common, port: basePort + 1, isolated: true }));
  let ok = true;
  try {
    for (const scenario of chosen) {
      const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: scenario.device === 'webgpu' ? webgpuArgs : wasmArgs,
      });
      try {
        const promptIds = seededPrompt(scenario.promptTokens, scenario.vocab);
        const origin = scenario.isolated ? origins.isolated : origins.plain;
        console.log(`\n— ${scenario.name}`);
        const runs = {} as Record<PageName, PageRun>;
        for (const name of PAGES) runs[name] = await runPage(browser, origin, name, scenario, promptIds);
        ok = report(scenario, runs) && ok;
      } catch (error) {
        console.log(`  ✗ ${scenario.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        ok = false;
      } finally {
        await browser.close();
      }
    }
  } finally {
    for (const server of servers) server.close();
  }
  process.exit(ok ? 0 : 1);
}

await main();
