/** The benchmark report as markdown: the figures, the ratios, and the issue-7 targets. */
import { growth, median, ratio, type BenchReport, type ModeResult, type PathResult } from './figures';

const PATH_LABEL = { app: '(a) app', transformers: '(b) transformers.js', ort: '(c) onnxruntime-web', wllama: '(d) wllama (llama.cpp)' } as const;

const n = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ms = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '–');
const x = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

function pathRow(mode: ModeResult, p: PathResult): string {
  return `| ${mode.model} | ${mode.mode} | ${PATH_LABEL[p.path]} | ${p.dtype} · ${p.threads} thr | ${ms(p.coldLoadMs)} | ${ms(p.warmLoadMs)} | ${ms(p.ttftMs)} | ${n(p.prefillTokensPerSecond)} | ${n(p.decodeTokensPerSecond)} | ${p.promptTokens} → ${p.newTokens} |`;
}

function ratioRow(mode: ModeResult): string {
  const get = (name: PathResult['path']) => mode.paths.find((p) => p.path === name);
  const [a, b, c, d] = [get('app'), get('transformers'), get('ort'), get('wllama')];
  return `| ${mode.model} | ${mode.mode} | ${x(ratio(a?.decodeTokensPerSecond, b?.decodeTokensPerSecond))} | ${x(ratio(a?.prefillTokensPerSecond, b?.prefillTokensPerSecond))} | ${x(ratio(a?.ttftMs, b?.ttftMs))} | ${x(ratio(b?.decodeTokensPerSecond, c?.decodeTokensPerSecond))} | ${x(ratio(b?.prefillTokensPerSecond, c?.prefillTokensPerSecond))} | ${x(ratio(b?.ttftMs, c?.ttftMs))} | ${x(ratio(d?.decodeTokensPerSecond, c?.decodeTokensPerSecond))} | ${x(ratio(d?.prefillTokensPerSecond, c?.prefillTokensPerSecond))} |`;
}

function nativeRows(report: BenchReport): string[] {
  const rows: string[] = [];
  for (const [model, native] of Object.entries(report.native)) {
    for (const row of native.rows) {
      // The browser's raw loop (c) on WASM with the same thread count, against the same loop on onnxruntime-node.
      const mode = report.modes.find((m) => m.model === model && m.mode === (row.threads === 1 ? 'wasm-1-thread' : 'wasm-threads'));
      const c = mode?.paths.find((p) => p.path === 'ort');
      const d = mode?.paths.find((p) => p.path === 'wllama');
      const threadsMatch = c && c.threads === row.threads;
      const wllamaMatch = d && d.threads === row.threads;
      const over = (browser: PathResult | undefined, ok: boolean | undefined, key: 'decodeTokensPerSecond' | 'prefillTokensPerSecond') =>
        ok && browser ? x(ratio(browser[key], row[key])) : '–';
      rows.push(
        `| ${model} | ${row.threads} | ${ms(row.ttftMs)} | ${n(row.prefillTokensPerSecond)} | ${n(row.decodeTokensPerSecond)} | ${threadsMatch ? n(c.decodeTokensPerSecond) : '–'} | ${wllamaMatch ? n(d.decodeTokensPerSecond) : '–'} | ${over(c, threadsMatch, 'decodeTokensPerSecond')} | ${over(c, threadsMatch, 'prefillTokensPerSecond')} | ${over(d, wllamaMatch, 'decodeTokensPerSecond')} | ${over(d, wllamaMatch, 'prefillTokensPerSecond')} |`,
      );
    }
  }
  return rows;
}

/** Issue 19's decision: wllama becomes the CPU backend for GGUF repos only if it wins turn 2 by ≥ 1.3×. */
export const WLLAMA_ADOPTION_SPEEDUP = 1.3;

function secondTurnRows(report: BenchReport): string[] {
  const rows: string[] = [];
  for (const mode of report.modes) {
    const c = mode.paths.find((p) => p.path === 'ort')?.secondTurn;
    const d = mode.paths.find((p) => p.path === 'wllama')?.secondTurn;
    if (!c || !d) continue;
    const threads = mode.paths.find((p) => p.path === 'ort')!.threads;
    rows.push(
      `| ${mode.model} | ${threads} | ${c.prefilledTokens} → ${c.newTokens} | ${ms(c.ttftMs)} | ${ms(c.totalMs)} | ${d.prefilledTokens} → ${d.newTokens} | ${ms(d.ttftMs)} | ${ms(d.totalMs)} | ${x(ratio(c.totalMs, d.totalMs))} |`,
    );
  }
  return rows;
}

/** On the scenarios' model: the best ORT-web turn 2 against the best wllama turn 2, over the WASM modes. */
function wllamaVerdict(report: BenchReport): string {
  const modes = report.modes.filter((m) => m.model === report.extras.model);
  const best = (path: 'ort' | 'wllama') => Math.min(...modes.map((m) => m.paths.find((p) => p.path === path)?.secondTurn?.totalMs ?? Infinity));
  const speedup = ratio(best('ort'), best('wllama'));
  if (!Number.isFinite(speedup)) return '';
  const adopt = speedup >= WLLAMA_ADOPTION_SPEEDUP;
  return `On ${report.extras.model}, the best (c) turn 2 takes ${ms(best('ort'))} ms and the best (d) ${ms(best('wllama'))} ms: wllama is ${x(speedup)} as fast (adopted as the CPU backend for GGUF models only at ≥ ${WLLAMA_ADOPTION_SPEEDUP}×: ${adopt ? '**it qualifies**' : 'it does not'}).`;
}

export function reportTable(report: BenchReport): string {
  const { kvReuse, bestOf, mainThread, conversationList } = report.extras;
  const withReuse = growth(kvReuse.withReuse.ttftMs);
  const withoutReuse = growth(kvReuse.withoutReuse.ttftMs);
  const bestOfRatio = ratio(median(bestOf.bestOf4Ms), median(bestOf.singleMs));
  const listRatio = ratio(conversationList.many.ms, conversationList.few.ms);
  // The target is judged on the scenarios' model: on tiny a 64-token reply streams in under a
  // second, and its ratios swing by ±30% from run to run (they are in the ratio table above).
  const main = report.modes.filter((m) => m.mode !== 'webgpu-swiftshader' && m.model === report.extras.model);
  const appOverRaw = main.map((m) =>
    ratio(m.paths.find((p) => p.path === 'app')?.decodeTokensPerSecond, m.paths.find((p) => p.path === 'transformers')?.decodeTokensPerSecond),
  );
  const worstAppOverRaw = Math.min(...appOverRaw.filter(Number.isFinite));

  return [
    `Measured ${report.measuredAt.slice(0, 10)} on ${report.machine}; ${report.browser}.${report.smoke ? ' **Smoke run: too short to mean anything.**' : ''}`,
    `Prompt of ${report.settings.promptWords} words (tokens below) → ${report.settings.newTokens} new tokens, median of ${report.settings.runs} runs; (a) and (b) sample with the app's settings at temperature 0.7 ((b) never stops early), (c) is greedy; (a) and (b) take turns run by run, as (c) and (d) do, so background load hits both of a pair. Loads count from navigation (app, built-in model; raw pages) or from "Download repo" (app, hosted model) until the model can generate; cold = empty browser profile over a loopback server, warm = reload with the model in the Cache API. TTFT counts from the key press (a) or the call (b, c) to the first token (for (a): the first character on screen); for (d) it is llama.cpp's prompt-processing time, and (d) is greedy like (c).`,
    '',
    '| model | mode | path | dtype · threads | cold load ms | warm load ms | TTFT ms | prefill tok/s | decode tok/s | tokens |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...report.modes.flatMap((mode) => mode.paths.map((p) => pathRow(mode, p))),
    '',
    '| model | mode | decode a/b | prefill a/b | TTFT a/b | decode b/c | prefill b/c | TTFT b/c | decode d/c | prefill d/c |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.modes.map(ratioRow),
    '',
    'Native ceiling: the same raw greedy loop on onnxruntime-node (q8), same run, beside the two WASM engines with the same thread count: (c) onnxruntime-web (q8) and (d) wllama, llama.cpp in WebAssembly, on the builder\'s GGUF of the same seeded weights (q8_0; it tokenizes the prompt text itself, and its figures are llama.cpp\'s own prompt and generation timings). (c) and (d) alternate run by run, so background load hits both.',
    '',
    '| model | threads | native TTFT ms | native prefill tok/s | native decode tok/s | (c) decode tok/s | (d) decode tok/s | (c) ÷ native decode | (c) ÷ native prefill | (d) ÷ native decode | (d) ÷ native prefill |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...nativeRows(report),
    '',
    `The figure a user feels, turn 2 of a conversation with the KV cache reused: after turn 1's reply, a second question (the chat template's glue included), then ${report.settings.newTokens * 2} new tokens; (c) keeps its cache, (d) reuses the prefix llama.cpp cached. Medians, alternating.`,
    '',
    '| model | threads | (c) prefilled → new | (c) TTFT ms | (c) whole reply ms | (d) prefilled → new | (d) TTFT ms | (d) whole reply ms | (c) ÷ (d) |',
    '| --- | ---: | --- | ---: | ---: | --- | ---: | ---: | ---: |',
    ...secondTurnRows(report),
    '',
    wllamaVerdict(report),
    '',
    `App scenarios on ${report.extras.model}, ${report.extras.mode}:`,
    '',
    '| measure | figure | target | |',
    '| --- | --- | --- | --- |',
    `| app decode ÷ raw transformers.js (${report.extras.model}, worst WASM mode) | ${x(worstAppOverRaw)} | ≥ 0.95× | ${verdict(worstAppOverRaw >= 0.95)} |`,
    `| TTFT turn ${kvReuse.turns} ÷ turn 1, KV reuse (median of ${kvReuse.repeats}) | ${x(withReuse)} (on screen ${kvReuse.withReuse.ttftMs.map(ms).join(', ')} ms; in the worker ${kvReuse.withReuse.workerTtftMs.map(ms).join(', ')} ms; prefilled ${kvReuse.withReuse.prefillTokens.join(', ')} of ${kvReuse.withReuse.promptTokens.join(', ')}) | ≤ 1.5× | ${verdict(withReuse <= 1.5)} |`,
    `| TTFT turn ${kvReuse.turns} ÷ turn 1, cache lost every turn | ${x(withoutReuse)} (on screen ${kvReuse.withoutReuse.ttftMs.map(ms).join(', ')} ms; in the worker ${kvReuse.withoutReuse.workerTtftMs.map(ms).join(', ')} ms; prefilled ${kvReuse.withoutReuse.prefillTokens.join(', ')}) | for comparison | |`,
    `| best-of-4 ÷ single reply (${bestOf.newTokens} tokens, sampled) | ${x(bestOfRatio)} (${ms(median(bestOf.bestOf4Ms))} vs ${ms(median(bestOf.singleMs))} ms) | ≤ 2× | ${verdict(bestOfRatio <= 2)} |`,
    `| longest main-thread task while streaming ${mainThread.streamedTokens} tokens | ${ms(mainThread.longestTaskMs)} ms (${mainThread.tasksOver50ms} over 50 ms) | none over 50 ms | ${verdict(mainThread.tasksOver50ms === 0)} |`,
    `| open the conversation list: ${conversationList.many.conversations} ÷ ${conversationList.few.conversations} conversations | ${x(listRatio)} (${ms(conversationList.many.ms)} vs ${ms(conversationList.few.ms)} ms) | ≤ 1.5× | ${verdict(listRatio <= 1.5)} |`,
  ].join('\n');
}
