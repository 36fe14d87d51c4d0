/**
 * Issue 7's benchmark: the app against the raw runtimes under it, in one run, in Debian's Chromium.
 * For each model and mode (WASM on 1 thread, WASM with threads, WebGPU on SwiftShader for function
 * only) it times cold and warm loads, TTFT, prefill and decode through (a) the app's UI,
 * (b) raw transformers.js in a bare worker page and (c) a raw onnxruntime-web greedy loop; then the
 * app scenarios (KV reuse over 10 turns, best-of-4, main-thread tasks while streaming, opening the
 * conversation list with 10 and 1,000 conversations) and the native ceiling on onnxruntime-node.
 * Writes browser-bench.json and browser-bench.md, and in a full run the README's table.
 *
 *   npm run bench                 # builds what it needs, then everything (~10 min here)
 *   npm run bench:smoke           # tiny model, few tokens: proves the whole harness still works
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, release } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { chromiumPath, wasmArgs, webgpuArgs } from '../tests/chromium';
import { startModelHost, type ModelHost } from '../tests/e2e/model-host';
import { timeToOpenConversationList, seedConversations } from './app/conversation-list';
import { longestTaskWhileStreaming } from './app/main-thread';
import { configureReplies, downloadHostedModel, forceBackend, measureReply, openAppCold, reloadAppWarm, startNewConversation, type AppReply } from './harness/app-path';
import { median, missingFigures, summarise, type BenchReport, type ModeName, type ModeResult, type NativeRow, type PathResult, type RunFigures, type SecondTurn } from './harness/figures';
import { AutoTokenizer, env as transformersEnv, type PreTrainedTokenizer } from '@huggingface/transformers';
import type { RawLoadOptions, RawLoadResult } from './pages/bench-api';
import { disposeRaw, openRawPage, rawGenerate, type RawGenerateOptions, type RawGenerateResult, type RawPageName } from './harness/raw-path';
import { BENCH_MODELS } from './harness/bench-models';
import { QUESTION, SMOKE_QUESTION } from './harness/question';
import { reportTable } from './harness/report-table';
import { bestOfFourAgainstSingle, timeToFirstTokenOverTurns } from './harness/scenarios';
import { startStaticServer, type StaticServer } from './harness/static-server';
import { disposeWllama, openWllamaPage, wllamaGenerate } from './harness/wllama-path';
import { buildGguf, DEFAULT_GGUF_DIR } from '../scripts/build-gguf';

const MODELS = BENCH_MODELS;

interface ModeDef {
  isolate: boolean;
  args: string[];
  device: 'wasm' | 'webgpu';
}

const MODES: Record<ModeName, ModeDef> = {
  'wasm-1-thread': { isolate: false, args: wasmArgs, device: 'wasm' },
  'wasm-threads': { isolate: true, args: wasmArgs, device: 'wasm' },
  'webgpu-swiftshader': { isolate: true, args: webgpuArgs, device: 'webgpu' },
};

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    models: { type: 'string' },
    modes: { type: 'string' },
    runs: { type: 'string' },
    tokens: { type: 'string' },
    out: { type: 'string' },
  },
});
const smoke = args.smoke!;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a whole number ≥ 1, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

function names<T extends string>(flag: string, value: string | undefined, fallback: T[], known: readonly string[]): T[] {
  const list = value ? value.split(',').map((s) => s.trim()) : fallback;
  const unknown = list.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    console.error(`--${flag}: unknown ${unknown.join(', ')}; known: ${known.join(', ')}`);
    process.exit(2);
  }
  return list as T[];
}

const settings = {
  runs: positiveInt('runs', args.runs, smoke ? 1 : 3),
  newTokens: positiveInt('tokens', args.tokens, smoke ? 32 : 64),
  /** The SwiftShader adapter is ~100× slower than WASM: a few tokens prove the path works. */
  webgpuTokens: smoke ? 4 : 8,
  kvTurns: smoke ? 3 : 10,
  kvTokens: smoke ? 4 : 16,
  streamTokens: smoke ? 40 : 500,
  listMany: smoke ? 50 : 1000,
  listFew: 10,
};
const modelNames = names('models', args.models, smoke ? ['tiny'] : ['tiny', 'smollm2-135m-shape'], Object.keys(MODELS));
const modeNames = names<ModeName>('modes', args.modes, smoke ? ['wasm-threads'] : ['wasm-1-thread', 'wasm-threads', 'webgpu-swiftshader'], Object.keys(MODES));
const outDir = args.out ?? (smoke ? '.tmp/bench-smoke' : 'bench/results');
/** The app scenarios run once, on the biggest model, with threads. */
const extrasModel = modelNames.at(-1)!;

function ensureBuilt(): void {
  for (const [what, path, command] of [
    ['the app', 'dist/index.html', 'npm run build'],
    ['the raw benchmark pages', '.tmp/bench-pages/raw-transformers.html', 'npx vite build --config bench/vite.pages.config.ts'],
  ] as const) {
    if (!existsSync(path)) {
      console.error(`No build of ${what} (${path}). Run \`${command}\` first, or use \`npm run bench\`, which builds everything.`);
      process.exit(1);
    }
  }
  for (const name of modelNames) {
    const model = MODELS[name]!;
    if (!existsSync(join(model.dir, 'onnx', 'model_quantized.onnx'))) {
      console.log(`Building the ${name} model (npm ${model.build.join(' ')})…`);
      execFileSync('npm', model.build, { stdio: 'inherit' });
    }
    const gguf = buildGguf(model.preset, DEFAULT_GGUF_DIR, true);
    if (!gguf.skipped) console.log(`Wrote ${gguf.path} (${(gguf.bytes / 1e6).toFixed(1)} MB) for path (d).`);
  }
}

interface Servers {
  app: Record<'isolated' | 'plain', StaticServer>;
  raw: Record<'isolated' | 'plain', StaticServer>;
  host: ModelHost;
}

async function startServers(): Promise<Servers> {
  const mounts = Object.fromEntries(
    modelNames.flatMap((name) => [
      [`/models/${MODELS[name]!.folder}/`, resolve(MODELS[name]!.dir)],
      [`/gguf/${MODELS[name]!.folder}/`, resolve(DEFAULT_GGUF_DIR, MODELS[name]!.folder)],
    ]),
  );
  const app = (isolate: boolean) => startStaticServer({ root: resolve('dist'), isolate });
  const raw = (isolate: boolean) => startStaticServer({ root: resolve('.tmp/bench-pages'), isolate, mounts });
  const hosted = Object.fromEntries(
    modelNames.flatMap((name) => {
      const model = MODELS[name]!;
      // Loopback at full speed: a cold load should time the app, not a throttled link.
      return model.hostedRepo ? [[model.hostedRepo, { folder: resolve(model.dir), bytesPerTick: 64 * 1024 * 1024 }]] : [];
    }),
  );
  return {
    app: { isolated: await app(true), plain: await app(false) },
    raw: { isolated: await raw(true), plain: await raw(false) },
    host: await startModelHost(hosted),
  };
}

/**
 * tsx compiles this file with esbuild's keepNames, which wraps functions declared inside
 * `page.evaluate` callbacks in a `__name(…)` helper that only exists in Node. Pages get a no-op.
 */
async function newBenchContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  return context;
}

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

function fromApp(reply: AppReply): RunFigures {
  const { ttftMs, prefillTokensPerSecond, decodeTokensPerSecond, promptTokens, newTokens, totalMs } = reply;
  return { ttftMs, prefillTokensPerSecond, decodeTokensPerSecond, promptTokens, newTokens, totalMs };
}

function fromRaw(run: RawGenerateResult): RunFigures {
  const { ttftMs, prefillTokensPerSecond, decodeTokensPerSecond, promptTokens, newTokens, totalMs } = run;
  return { ttftMs, prefillTokensPerSecond, decodeTokensPerSecond, promptTokens, newTokens, totalMs };
}

/** The WASM thread count the app shows in its model details (opened for the reading, then closed); 0 on WebGPU. */
async function threadsShown(page: Page, device: ModeDef['device']): Promise<number> {
  if (device === 'webgpu') return 0;
  // The toggle's accessible name is its visible summary (model · backend · speed), so it is found by what it controls.
  const toggle = page.getByRole('region', { name: 'Model status' }).locator('button[aria-controls="model-details"]');
  await toggle.click();
  const text = (await page.getByRole('region', { name: 'Model details' }).textContent()) ?? '';
  await toggle.click();
  const threads = Number(/(\d+) threads?/.exec(text)?.[1]);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`The model details show no thread count: "${text.trim()}"`);
  return threads;
}

/** A raw page's figures: medians of its runs, and its cold and warm loads. */
function rawPathResult(path: 'transformers' | 'ort' | 'wllama', runs: RawGenerateResult[], cold: RawLoadResult, warm: RawLoadResult): PathResult {
  return { ...summarise(path, runs.map(fromRaw)), coldLoadMs: cold.loadMs, warmLoadMs: warm.loadMs, threads: cold.threads, dtype: cold.dtype, backend: cold.device };
}

interface AppMeasurement {
  result: PathResult;
  prompt: string;
  sampling: RawGenerateOptions['sampling'];
  repetitionPenalty: number;
}

/**
 * Replies are sampled, as users get them: the untrained models' greedy choice is one token
 * repeated, often whitespace, which never shows on screen. (b) samples with the same settings.
 */
const APP_TEMPERATURE = 0.7;

/** Path (a). `afterRuns` gets the page with the model loaded, for the app scenarios. */
async function measureAppPath(
  browser: Browser,
  servers: Servers,
  modelName: string,
  mode: ModeDef,
  newTokens: number,
  afterRuns?: (page: Page) => Promise<void>,
  afterEachRun?: (reply: AppReply) => Promise<void>,
): Promise<AppMeasurement> {
  const model = MODELS[modelName]!;
  const context = await newBenchContext(browser);
  try {
    const page = await context.newPage();
    const appUrl = (mode.isolate ? servers.app.isolated : servers.app.plain).url;
    let coldLoadMs = await openAppCold(page, appUrl);
    if (model.hostedRepo) coldLoadMs = await downloadHostedModel(page, servers.host.url, model.hostedRepo);
    // Cold load is timed on the backend the app picks itself (WASM beside a software adapter).
    if (mode.device === 'webgpu') await forceBackend(page, 'webgpu');
    await configureReplies(page, { temperature: APP_TEMPERATURE, maxNewTokens: newTokens, bestOfN: 1 });
    await measureReply(page, 'Hello'); // warm-up: the first run pays for allocations the others do not
    const replies: AppReply[] = [];
    for (let i = 0; i < settings.runs; i++) {
      await startNewConversation(page);
      replies.push(await measureReply(page, smoke ? SMOKE_QUESTION : QUESTION));
      await afterEachRun?.(replies.at(-1)!);
    }
    const threads = await threadsShown(page, mode.device);
    const warmLoadMs = await reloadAppWarm(page, model.hostedRepo);
    await afterRuns?.(page);
    const first = replies[0]!;
    return {
      result: {
        ...summarise('app', replies.map(fromApp)),
        coldLoadMs,
        warmLoadMs,
        threads,
        dtype: first.worker.dtype,
        backend: first.worker.backend,
        worker: {
          ttftMs: median(replies.map((r) => r.worker.ttftMs)),
          decodeTokensPerSecond: median(replies.map((r) => r.worker.decodeTokensPerSecond)),
        },
      },
      prompt: first.prompt,
      sampling: first.sampling && { temperature: first.sampling.temperature, topP: first.sampling.topP, topK: first.sampling.topK },
      repetitionPenalty: first.sampling?.repetitionPenalty ?? 1,
    };
  } finally {
    await context.close();
  }
}

/** Paths (b) and (c): load cold, warm up, generate `runs` times, then reload and load warm. */
async function measureRawPath(
  browser: Browser,
  servers: Servers,
  pageName: RawPageName,
  modelName: string,
  mode: ModeDef,
  dtype: string,
  prompt: Omit<RawGenerateOptions, 'newTokens'>,
  newTokens: number,
): Promise<{ result: PathResult; promptIds: number[] }> {
  const context = await newBenchContext(browser);
  try {
    const page = await context.newPage();
    const baseUrl = (mode.isolate ? servers.raw.isolated : servers.raw.plain).url;
    const load = { model: MODELS[modelName]!.folder, device: mode.device, dtype: dtype as RawLoadOptions['dtype'] };
    const cold = await openRawPage(page, baseUrl, pageName, load);
    const runs: RawGenerateResult[] = [];
    await rawGenerate(page, { ...prompt, newTokens: Math.min(4, newTokens) }); // warm-up
    for (let i = 0; i < settings.runs; i++) runs.push(await rawGenerate(page, { ...prompt, newTokens }));
    await disposeRaw(page);
    const warm = await openRawPage(page, baseUrl, pageName, load);
    if (!warm.fromCache) throw new Error(`${pageName}: the second load did not come from the cache.`);
    await disposeRaw(page);
    const path = pageName === 'raw-transformers' ? 'transformers' : 'ort';
    return { result: rawPathResult(path, runs, cold, warm), promptIds: runs[0]!.promptIds };
  } finally {
    await context.close();
  }
}

/**
 * Path (b) run by run beside the app's runs, so background load hits both alike (the app ÷ raw
 * figure moved by ±25% between runs measured one path after the other). The page opens (cold)
 * after the app's first measured reply, whose prompt and sampling it repeats, and warms up then;
 * `finish` reloads it warm and summarises.
 */
function transformersBesideApp(browser: Browser, servers: Servers, modelName: string, mode: ModeDef, newTokens: number) {
  const baseUrl = (mode.isolate ? servers.raw.isolated : servers.raw.plain).url;
  let opened: { context: BrowserContext; page: Page; cold: Awaited<ReturnType<typeof openRawPage>>; load: RawLoadOptions; request: RawGenerateOptions } | null = null;
  const runs: RawGenerateResult[] = [];
  const close = async () => {
    await opened?.context.close();
  };
  return {
    runAfter: async (reply: AppReply) => {
      if (!opened) {
        const context = await newBenchContext(browser);
        const page = await context.newPage();
        const load = { model: MODELS[modelName]!.folder, device: mode.device, dtype: reply.worker.dtype as RawLoadOptions['dtype'] };
        const cold = await openRawPage(page, baseUrl, 'raw-transformers', load);
        const sampling = reply.sampling && { temperature: reply.sampling.temperature, topP: reply.sampling.topP, topK: reply.sampling.topK };
        const request = { promptText: reply.prompt, repetitionPenalty: reply.sampling?.repetitionPenalty ?? 1, sampling, newTokens };
        opened = { context, page, cold, load, request };
        await rawGenerate(page, { ...request, newTokens: Math.min(4, newTokens) }); // warm-up
      }
      runs.push(await rawGenerate(opened.page, opened.request));
    },
    close,
    finish: async (): Promise<{ result: PathResult; promptIds: number[] }> => {
      if (!opened) throw new Error('(b) never ran: the app measured no reply');
      try {
        const { page, cold, load } = opened;
        await disposeRaw(page);
        const warm = await openRawPage(page, baseUrl, 'raw-transformers', load);
        if (!warm.fromCache) throw new Error('raw-transformers: the second load did not come from the cache.');
        await disposeRaw(page);
        return {
          result: rawPathResult('transformers', runs, cold, warm),
          promptIds: runs[0]!.promptIds,
        };
      } finally {
        await close();
      }
    },
  };
}

/**
 * Paths (c) and (d) on WASM: both pages load (cold), warm up, then take turns run by run, so a
 * burst of background load hits both engines alike; then each reloads warm. (d) gets the same
 * thread count as (c), and the prompt as the text (c)'s ids were encoded from.
 */
async function measureOrtBesideWllama(
  browser: Browser,
  servers: Servers,
  modelName: string,
  mode: ModeDef,
  dtype: string,
  promptIds: number[],
  promptText: string,
  newTokens: number,
): Promise<[PathResult, PathResult]> {
  const baseUrl = (mode.isolate ? servers.raw.isolated : servers.raw.plain).url;
  const model = MODELS[modelName]!;
  const ortContext = await newBenchContext(browser);
  const wllamaContext = await newBenchContext(browser);
  try {
    const ortPage = await ortContext.newPage();
    const wllamaPage = await wllamaContext.newPage();
    const ortLoad = { model: model.folder, device: mode.device, dtype: dtype as RawLoadOptions['dtype'] };
    const ortCold = await openRawPage(ortPage, baseUrl, 'raw-ort', ortLoad);
    const wllamaLoad = { model: model.folder, threads: ortCold.threads };
    const wllamaCold = await openWllamaPage(wllamaPage, baseUrl, wllamaLoad);
    await rawGenerate(ortPage, { promptIds, newTokens: Math.min(4, newTokens) });
    await wllamaGenerate(wllamaPage, { promptText, newTokens: Math.min(4, newTokens) });
    const ortRuns: RawGenerateResult[] = [];
    const wllamaRuns: RawGenerateResult[] = [];
    for (let i = 0; i < settings.runs; i++) {
      ortRuns.push(await rawGenerate(ortPage, { promptIds, newTokens }));
      wllamaRuns.push(await wllamaGenerate(wllamaPage, { promptText, newTokens }));
    }
    // The GGUF carries the same vocabulary: the same text must give the same prompt (BOS aside).
    const [ortTokens, wllamaTokens] = [ortRuns[0]!.promptTokens, wllamaRuns[0]!.promptTokens];
    if (Math.abs(ortTokens - wllamaTokens) > 1) {
      throw new Error(`(d) wllama read the prompt as ${wllamaTokens} tokens, (c) as ${ortTokens}: the GGUF's vocabulary does not match the model's tokenizer.`);
    }
    const secondTurns = await measureSecondTurns(ortPage, wllamaPage, modelName, promptIds, promptText, newTokens);
    await disposeRaw(ortPage);
    await disposeWllama(wllamaPage);
    const ortWarm = await openRawPage(ortPage, baseUrl, 'raw-ort', ortLoad);
    const wllamaWarm = await openWllamaPage(wllamaPage, baseUrl, wllamaLoad);
    if (!ortWarm.fromCache || !wllamaWarm.fromCache) throw new Error('(c)/(d): the second load did not come from the cache.');
    await disposeRaw(ortPage);
    await disposeWllama(wllamaPage);
    return [
      { ...rawPathResult('ort', ortRuns, ortCold, ortWarm), secondTurn: secondTurns.ort },
      { ...rawPathResult('wllama', wllamaRuns, wllamaCold, wllamaWarm), secondTurn: secondTurns.wllama },
    ];
  } finally {
    await ortContext.close();
    await wllamaContext.close();
  }
}

const SECOND_QUESTION = 'Thanks. And if it rains all weekend, what should we change in that plan?';

/** The chat template's glue after turn 1's reply, then the second question, as text. */
function secondTurnText(): string {
  return `<|im_end|>\n<|im_start|>user\n${SECOND_QUESTION}<|im_end|>\n<|im_start|>assistant\n`;
}

const nodeTokenizers: Record<string, Promise<PreTrainedTokenizer>> = {};

/** The model's own tokenizer in Node (transformers.js, the model's files), for (c)'s turn-2 ids. */
function tokenizerFor(modelName: string): Promise<PreTrainedTokenizer> {
  const model = MODELS[modelName]!;
  nodeTokenizers[modelName] ??= (async () => {
    transformersEnv.allowRemoteModels = false;
    transformersEnv.localModelPath = resolve(model.dir, '..') + '/';
    return AutoTokenizer.from_pretrained(model.folder);
  })();
  return nodeTokenizers[modelName]!;
}

/**
 * Issue 19's deciding figure: turn 2 of a conversation with the cache reused, TTFT plus twice the
 * usual new tokens. (c) keeps its KV cache and prefills the glue and the second question; (d) gets
 * turn 1's prompt, its reply and the same text, and llama.cpp reuses the prefix it has cached.
 * Alternating, `runs` times.
 */
async function measureSecondTurns(
  ortPage: Page,
  wllamaPage: Page,
  modelName: string,
  promptIds: number[],
  promptText: string,
  newTokens: number,
): Promise<{ ort: SecondTurn; wllama: SecondTurn }> {
  const tokenizer = await tokenizerFor(modelName);
  const suffixIds = tokenizer.encode(secondTurnText(), { add_special_tokens: false });
  const turnTwoTokens = newTokens * 2;
  const ort: SecondTurn[] = [];
  const wllama: SecondTurn[] = [];
  for (let i = 0; i < settings.runs; i++) {
    await rawGenerate(ortPage, { promptIds, newTokens });
    const o = await rawGenerate(ortPage, { promptIds: suffixIds, newTokens: turnTwoTokens, continueConversation: true });
    ort.push({ prefilledTokens: o.promptTokens, ttftMs: o.ttftMs, newTokens: o.newTokens, totalMs: o.totalMs });
    const first = await wllamaGenerate(wllamaPage, { promptText, newTokens, reuseCache: true });
    const w = await wllamaGenerate(wllamaPage, { promptText: promptText + first.text + secondTurnText(), newTokens: turnTwoTokens, reuseCache: true });
    wllama.push({ prefilledTokens: w.promptTokens, ttftMs: w.ttftMs, newTokens: w.newTokens, totalMs: w.totalMs });
  }
  const medianOf = (list: SecondTurn[]): SecondTurn => ({
    prefilledTokens: median(list.map((t) => t.prefilledTokens)),
    ttftMs: median(list.map((t) => t.ttftMs)),
    newTokens: median(list.map((t) => t.newTokens)),
    totalMs: median(list.map((t) => t.totalMs)),
  });
  return { ort: medianOf(ort), wllama: medianOf(wllama) };
}

async function measureMode(servers: Servers, modelName: string, modeName: ModeName, report: BenchReport): Promise<ModeResult> {
  const mode = MODES[modeName];
  const browser = await chromium.launch({ executablePath: chromiumPath, args: mode.args });
  try {
    report.browser = `Chromium ${browser.version()}`;
    const newTokens = mode.device === 'webgpu' ? settings.webgpuTokens : settings.newTokens;
    const runExtras = modelName === extrasModel && modeName === 'wasm-threads';
    log(`${modelName} · ${modeName} · (a) app and (b) raw transformers.js, alternating`);
    const beside = transformersBesideApp(browser, servers, modelName, mode, newTokens);
    let app: AppMeasurement;
    try {
      app = await measureAppPath(browser, servers, modelName, mode, newTokens, runExtras ? (page) => runAppScenarios(page, report) : undefined, beside.runAfter);
    } catch (error) {
      await beside.close();
      throw error;
    }
    const transformers = await beside.finish();
    if (mode.device === 'webgpu') {
      log(`${modelName} · ${modeName} · (c) raw onnxruntime-web`);
      const ort = await measureRawPath(browser, servers, 'raw-ort', modelName, mode, app.result.dtype, { promptIds: transformers.promptIds }, newTokens);
      return { model: modelName, mode: modeName, paths: [app.result, transformers.result, ort.result] };
    }
    log(`${modelName} · ${modeName} · (c) raw onnxruntime-web and (d) wllama, alternating`);
    const [ort, wllama] = await measureOrtBesideWllama(browser, servers, modelName, mode, app.result.dtype, transformers.promptIds, app.prompt, newTokens);
    return { model: modelName, mode: modeName, paths: [app.result, transformers.result, ort, wllama] };
  } finally {
    await browser.close();
  }
}

async function runAppScenarios(page: Page, report: BenchReport): Promise<void> {
  log('scenario: TTFT over turns, with and without KV reuse');
  const kvReuse = await timeToFirstTokenOverTurns(page, settings.kvTurns, settings.kvTokens, settings.runs);
  log('scenario: best-of-4 against a single reply');
  const bestOf = await bestOfFourAgainstSingle(page, settings.runs, smoke ? 8 : 32, smoke ? SMOKE_QUESTION : QUESTION);
  log(`scenario: longest main-thread task while streaming ${settings.streamTokens} tokens`);
  const mainThread = await longestTaskWhileStreaming(page, { tokens: settings.streamTokens });
  log(`scenario: opening the conversation list with ${settings.listFew} and ${settings.listMany} conversations`);
  const listOpen = async (count: number) => {
    await seedConversations(page, count);
    const timings = [];
    for (let i = 0; i < settings.runs; i++) timings.push(await timeToOpenConversationList(page));
    return { ...timings[0]!, ms: median(timings.map((t) => t.ms)) };
  };
  const few = await listOpen(settings.listFew);
  const many = await listOpen(settings.listMany);
  report.extras = { model: extrasModel, mode: 'wasm-threads', kvReuse, bestOf, mainThread, conversationList: { few, many } };
}

function nativeCeiling(modelName: string, promptTokens: number): BenchReport['native'][string] {
  log(`${modelName} · native ceiling on onnxruntime-node`);
  const nativeOut = join(outDir, 'native');
  execFileSync(
    'npx',
    ['tsx', 'bench/native-ceiling.ts', '--model', modelName, '--prompt', String(promptTokens), '--tokens', String(settings.newTokens), '--runs', String(settings.runs), '--out', nativeOut],
    { stdio: 'inherit' },
  );
  const json = JSON.parse(readFileSync(join(nativeOut, `native-ceiling-${modelName}.json`), 'utf8')) as {
    runtime: string;
    promptTokens: number;
    newTokens: number;
    results: NativeRow[];
  };
  return {
    runtime: json.runtime,
    promptTokens: json.promptTokens,
    newTokens: json.newTokens,
    rows: json.results.map(({ threads, ttftMs, prefillTokensPerSecond, decodeTokensPerSecond }) => ({ threads, ttftMs, prefillTokensPerSecond, decodeTokensPerSecond })),
  };
}

function updateReadme(table: string): void {
  const start = '<!-- bench-table:start -->';
  const end = '<!-- bench-table:end -->';
  const readme = readFileSync('README.md', 'utf8');
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) {
    console.warn(`README.md has no ${start} … ${end} markers: its table was not updated.`);
    return;
  }
  writeFileSync('README.md', `${readme.slice(0, from + start.length)}\n${table}\n${readme.slice(to)}`);
}

async function main(): Promise<void> {
  ensureBuilt();
  const servers = await startServers();
  const report: BenchReport = {
    kind: 'browser-bench',
    smoke,
    measuredAt: new Date().toISOString(),
    machine: `${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, Linux ${release()}, Node ${process.version}`,
    browser: '',
    settings: { promptWords: (smoke ? SMOKE_QUESTION : QUESTION).split(/\s+/).length, newTokens: settings.newTokens, runs: settings.runs },
    modes: [],
    extras: undefined as unknown as BenchReport['extras'],
    native: {},
  };
  try {
    for (const modelName of modelNames) {
      for (const modeName of modeNames) {
        // SwiftShader runs the 135M model at a few tokens a minute: WebGPU is checked on tiny only.
        if (modeName === 'webgpu-swiftshader' && modelName !== 'tiny') continue;
        report.modes.push(await measureMode(servers, modelName, modeName, report));
      }
      const app = report.modes.find((m) => m.model === modelName && m.mode === 'wasm-threads')?.paths.find((p) => p.path === 'app');
      report.native[modelName] = nativeCeiling(modelName, app?.promptTokens ?? 128);
    }
  } finally {
    await Promise.all([...Object.values(servers.app), ...Object.values(servers.raw), servers.host].map((s) => s.close()));
  }
  if (!report.extras) throw new Error('The app scenarios did not run: --modes must include wasm-threads.');

  const table = reportTable(report);
  console.log(`\n${table}\n`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'browser-bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(outDir, 'browser-bench.md'), `${table}\n`);
  console.log(`wrote ${join(outDir, 'browser-bench.json')} and ${join(outDir, 'browser-bench.md')}`);
  if (!smoke && outDir === 'bench/results') updateReadme(table);

  const missing = missingFigures(report);
  if (missing.length > 0) {
    console.error(`The benchmark is missing figures:\n  ${missing.join('\n  ')}`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
