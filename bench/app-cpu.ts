/**
 * Where the CPU goes while the app replies, against raw transformers.js (path (b) of
 * `npm run bench`) generating the same prompt with the same sampling: Linux's per-thread CPU time
 * of every Chromium thread, around one reply each, on the same model and thread count. Explains
 * the app ÷ raw decode figure of issue 19: on two cores, anything else that runs while the model
 * decodes takes a core from one of its two pool threads. Then the question's safety check: the same
 * reply with the filter on and off, alternating.
 *
 *   npm run bench:app-cpu [-- --model smollm2-135m-shape|tiny] [--tokens 64] [--json FILE]
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type BrowserContext } from '@playwright/test';
import { chromiumPath, wasmArgs } from '../tests/chromium';
import { startModelHost } from '../tests/e2e/model-host';
import { cpuMsByThread, snapshotChromiumThreads } from './app/os-thread-time';
import { BENCH_MODELS } from './harness/bench-models';
import { configureReplies, downloadHostedModel, measureReply, openAppCold, setSafetyFilter, startNewConversation, type AppReply } from './harness/app-path';
import { median } from './harness/figures';
import { QUESTION } from './harness/question';
import { disposeRaw, openRawPage, rawGenerate } from './harness/raw-path';
import { startStaticServer } from './harness/static-server';

const MODELS = BENCH_MODELS;

const { values: args } = parseArgs({
  options: { model: { type: 'string', default: 'smollm2-135m-shape' }, tokens: { type: 'string', default: '64' }, json: { type: 'string' } },
});
const model = MODELS[args.model!];
const tokens = Number(args.tokens);
if (!model || !Number.isInteger(tokens) || tokens < 2) {
  console.error(`usage: app-cpu.ts [--model ${Object.keys(MODELS).join('|')}] [--tokens N ≥ 2] [--json FILE]`);
  process.exit(2);
}
for (const path of ['dist/index.html', '.tmp/bench-pages/raw-transformers.html', model.dir]) {
  if (!existsSync(path)) {
    console.error(`${path} is missing: run \`npm run build\`, \`npm run bench:pages\` and \`npm run models:bench\` first.`);
    process.exit(1);
  }
}

const TEMPERATURE = 0.7;
const SAFETY_RUNS = 3;

async function newContext(browser: Awaited<ReturnType<typeof chromium.launch>>): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
  return context;
}

async function main(): Promise<void> {
  const app = await startStaticServer({ root: resolve('dist'), isolate: true });
  const raw = await startStaticServer({ root: resolve('.tmp/bench-pages'), isolate: true, mounts: { [`/models/${model!.folder}/`]: resolve(model!.dir) } });
  const host = await startModelHost(model!.hostedRepo ? { [model!.hostedRepo]: { folder: resolve(model!.dir), bytesPerTick: 64 * 1024 * 1024 } } : {});
  const browser = await chromium.launch({ executablePath: chromiumPath, args: wasmArgs });
  try {
    const appContext = await newContext(browser);
    const appPage = await appContext.newPage();
    await openAppCold(appPage, app.url);
    if (model!.hostedRepo) await downloadHostedModel(appPage, host.url, model!.hostedRepo);
    await configureReplies(appPage, { temperature: TEMPERATURE, maxNewTokens: tokens, bestOfN: 1 });
    await measureReply(appPage, 'Hello');
    await startNewConversation(appPage);
    let before = snapshotChromiumThreads();
    const reply = await measureReply(appPage, QUESTION);
    const appCpu = cpuMsByThread(before, snapshotChromiumThreads());
    // What the question's safety check (beside the prefill, in the reward worker) costs the reply:
    // the same question with the filter on and off, alternating.
    const withCheck: AppReply[] = [];
    const withoutCheck: AppReply[] = [];
    for (let i = 0; i < SAFETY_RUNS; i++) {
      for (const on of [true, false]) {
        await setSafetyFilter(appPage, on);
        await startNewConversation(appPage);
        (on ? withCheck : withoutCheck).push(await measureReply(appPage, QUESTION));
      }
    }
    await appContext.close();

    const rawContext = await newContext(browser);
    const rawPage = await rawContext.newPage();
    await openRawPage(rawPage, raw.url, 'raw-transformers', { model: model!.folder, device: 'wasm', dtype: 'q8' });
    const sampling = reply.sampling ? { temperature: reply.sampling.temperature, topP: reply.sampling.topP, topK: reply.sampling.topK } : undefined;
    const request = { promptText: reply.prompt, newTokens: reply.newTokens, repetitionPenalty: reply.sampling?.repetitionPenalty ?? 1, sampling };
    await rawGenerate(rawPage, { ...request, newTokens: 4 });
    before = snapshotChromiumThreads();
    const rawRun = await rawGenerate(rawPage, request);
    const rawCpu = cpuMsByThread(before, snapshotChromiumThreads());
    await disposeRaw(rawPage);
    await rawContext.close();

    const labels = [...new Set([...appCpu, ...rawCpu].map((r) => r.label))];
    const row = (list: typeof appCpu, label: string) => list.find((r) => r.label === label);
    const rows = labels
      .map((label) => ({ label, app: row(appCpu, label)?.ms ?? 0, raw: row(rawCpu, label)?.ms ?? 0, threads: Math.max(row(appCpu, label)?.threads ?? 0, row(rawCpu, label)?.threads ?? 0) }))
      .filter((r) => r.app >= 20 || r.raw >= 20)
      .sort((a, b) => b.app - a.app);
    const total = (list: typeof appCpu) => list.reduce((sum, r) => sum + r.ms, 0);
    const lines = [
      `CPU per Chromium thread during one reply of ${reply.newTokens} tokens to a ${reply.promptTokens}-token prompt, ${args.model}, WASM with threads (/proc utime + stime, 10 ms ticks; threads under 20 ms left out).`,
      `App: ${Math.round(reply.totalMs)} ms from Enter to the stored reply, decode ${reply.decodeTokensPerSecond.toFixed(1)} tok/s on screen (${reply.worker.decodeTokensPerSecond.toFixed(1)} in the worker). Raw transformers.js: ${Math.round(rawRun.totalMs)} ms, decode ${rawRun.decodeTokensPerSecond.toFixed(1)} tok/s.`,
      '',
      '| process · thread | threads | app CPU ms | raw transformers.js CPU ms |',
      '| --- | ---: | ---: | ---: |',
      ...rows.map((r) => `| ${r.label} | ${r.threads} | ${Math.round(r.app)} | ${Math.round(r.raw)} |`),
      `| all Chromium threads | | ${Math.round(total(appCpu))} | ${Math.round(total(rawCpu))} |`,
    ];
    const safetyRow = (name: string, list: AppReply[]) =>
      `| ${name} | ${Math.round(median(list.map((r) => r.ttftMs)))} | ${Math.round(median(list.map((r) => r.worker.ttftMs)))} | ${median(list.map((r) => r.decodeTokensPerSecond)).toFixed(1)} |`;
    lines.push(
      '',
      `The question's safety check, which runs in the reward worker beside the prefill: the same reply with the filter on and off, alternating, medians of ${SAFETY_RUNS}.`,
      '',
      '| safety filter | TTFT on screen ms | TTFT in the worker ms | decode tok/s |',
      '| --- | ---: | ---: | ---: |',
      safetyRow('on (checked beside the prefill)', withCheck),
      safetyRow('off (no check)', withoutCheck),
    );
    console.log(`\n${lines.join('\n')}\n`);
    if (args.json) {
      const safety = (list: AppReply[]) => list.map((r) => ({ ttftMs: r.ttftMs, workerTtftMs: r.worker.ttftMs, decodeTokensPerSecond: r.decodeTokensPerSecond }));
      const report = {
        kind: 'app-cpu',
        model: args.model,
        app: { reply: { totalMs: reply.totalMs, decode: reply.decodeTokensPerSecond, workerDecode: reply.worker.decodeTokensPerSecond }, cpu: appCpu },
        raw: { run: { totalMs: rawRun.totalMs, decode: rawRun.decodeTokensPerSecond }, cpu: rawCpu },
        safetyCheck: { on: safety(withCheck), off: safety(withoutCheck) },
      };
      writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`wrote ${args.json}`);
    }
  } finally {
    await browser.close();
    await Promise.all([app.close(), raw.close(), host.close()]);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
