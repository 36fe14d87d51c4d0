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
import { median, missingFigures, summarise, type BenchReport, type ModeName, type ModeResult, type NativeRow, type PathResult, type RunFigures } from './harness/figures';
import type { RawLoadOptions } from './pages/bench-api';
import { disposeRaw, openRawPage, rawGenerate, type RawGenerateOptions, type RawGenerateResult, type RawPageName } from './harness/raw-path';
import { reportTable } from './harness/report-table';
import { bestOfFourAgainstSingle, timeToFirstTokenOverTurns } from './harness/scenarios';
import { startStaticServer, type StaticServer } from './harness/static-server';

interface ModelDef {
  /** transformers.js folder name, served to the raw pages under /models/. */
  folder: string;
  dir: string;
  build: string[];
  /** The app gets it from a mirror host under this repo id; absent for the built-in demo model. */
  hostedRepo?: string;
}

const MODELS: Record<string, ModelDef> = {
  tiny: { folder: 'demo-chat-tiny', dir: 'public/models/demo-chat-tiny', build: ['run', 'models'] },
  'smollm2-135m-shape': {
    folder: 'bench-chat-smollm2-135m-shape',
    dir: 'bench/models/bench-chat-smollm2-135m-shape',
    build: ['run', 'models:bench'],
    hostedRepo: 'bench/smollm2-135m-shape',
  },
};

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

/** About 110 words: with the chat template, ~128 prompt tokens for a SmolLM2-style tokenizer. */
const QUESTION = [
  'I am planning a long weekend walking along the coast with two friends and a dog.',
  'We will carry our own food, sleep in small guest houses, and walk about twenty kilometres a day.',
  'The weather in spring can change quickly there, with rain in the morning and strong wind after noon.',
  'Could you suggest what each of us should pack, how to share the weight fairly,',
  'what to do if one of us gets a blister on the second day, how to keep the dog safe near cliffs and cattle,',
  'and which simple meals are easy to cook on a small stove without much washing up afterwards?',
  'Please keep the answer practical and short, as a list we can print and take with us.',
].join(' ');
const SMOKE_QUESTION = 'Pack for a coastal walk: what should we bring?';

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
  }
}

interface Servers {
  app: Record<'isolated' | 'plain', StaticServer>;
  raw: Record<'isolated' | 'plain', StaticServer>;
  host: ModelHost;
}

async function startServers(): Promise<Servers> {
  const mounts = Object.fromEntries(modelNames.map((name) => [`/models/${MODELS[name]!.folder}/`, resolve(MODELS[name]!.dir)]));
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

async function threadsShown(page: Page): Promise<number> {
  const text = (await page.getByRole('region', { name: 'Model status' }).textContent()) ?? '';
  return Number(/(\d+) threads?/.exec(text)?.[1] ?? 0);
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
    }
    const threads = await threadsShown(page);
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
    return {
      result: {
        ...summarise(path, runs.map(fromRaw)),
        coldLoadMs: cold.loadMs,
        warmLoadMs: warm.loadMs,
        threads: cold.threads,
        dtype: cold.dtype,
        backend: cold.device,
      },
      promptIds: runs[0]!.promptIds,
    };
  } finally {
    await context.close();
  }
}

async function measureMode(servers: Servers, modelName: string, modeName: ModeName, report: BenchReport): Promise<ModeResult> {
  const mode = MODES[modeName];
  const browser = await chromium.launch({ executablePath: chromiumPath, args: mode.args });
  try {
    report.browser = `Chromium ${browser.version()}`;
    const newTokens = mode.device === 'webgpu' ? settings.webgpuTokens : settings.newTokens;
    const runExtras = modelName === extrasModel && modeName === 'wasm-threads';
    log(`${modelName} · ${modeName} · (a) app`);
    const app = await measureAppPath(browser, servers, modelName, mode, newTokens, runExtras ? (page) => runAppScenarios(page, report) : undefined);
    log(`${modelName} · ${modeName} · (b) raw transformers.js`);
    const transformers = await measureRawPath(browser, servers, 'raw-transformers', modelName, mode, app.result.dtype, { promptText: app.prompt, repetitionPenalty: app.repetitionPenalty, sampling: app.sampling }, newTokens);
    log(`${modelName} · ${modeName} · (c) raw onnxruntime-web`);
    const ort = await measureRawPath(browser, servers, 'raw-ort', modelName, mode, app.result.dtype, { promptIds: transformers.promptIds }, newTokens);
    return { model: modelName, mode: modeName, paths: [app.result, transformers.result, ort.result] };
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
