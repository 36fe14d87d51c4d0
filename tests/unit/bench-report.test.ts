import { describe, expect, it } from 'vitest';
import { growth, missingFigures, ratio, summarise, type BenchReport, type PathResult, type RunFigures } from '../../bench/harness/figures';
import { reportTable } from '../../bench/harness/report-table';

const run = (ttftMs: number, decode: number): RunFigures => ({
  ttftMs,
  prefillTokensPerSecond: 128_000 / ttftMs,
  decodeTokensPerSecond: decode,
  promptTokens: 128,
  newTokens: 64,
  totalMs: ttftMs + 63_000 / decode,
});

function path(name: PathResult['path'], decode: number): PathResult {
  return { ...summarise(name, [run(400, decode), run(300, decode + 2), run(500, decode - 2)]), coldLoadMs: 900, warmLoadMs: 300, threads: 2, dtype: 'q8', backend: 'wasm' };
}

function report(overrides: Partial<BenchReport['extras']> = {}): BenchReport {
  return {
    kind: 'browser-bench',
    smoke: false,
    measuredAt: '2026-11-26T12:00:00.000Z',
    machine: 'test CPU, 2 cores',
    browser: 'Chromium 1',
    settings: { promptWords: 110, newTokens: 64, runs: 3 },
    modes: [
      {
        model: 'tiny',
        mode: 'wasm-threads',
        paths: [
          path('app', 30),
          path('transformers', 40),
          { ...path('ort', 50), secondTurn: { prefilledTokens: 30, ttftMs: 120, newTokens: 128, totalMs: 5200 } },
          { ...path('wllama', 75), secondTurn: { prefilledTokens: 29, ttftMs: 600, newTokens: 128, totalMs: 4000 } },
        ],
      },
    ],
    extras: {
      model: 'tiny',
      mode: 'wasm-threads',
      kvReuse: {
        turns: 3,
        repeats: 1,
        withReuse: { ttftMs: [100, 110, 120], workerTtftMs: [90, 95, 100], prefillTokens: [60, 12, 12], promptTokens: [60, 80, 100] },
        withoutReuse: { ttftMs: [100, 150, 200], workerTtftMs: [90, 140, 190], prefillTokens: [60, 80, 100], promptTokens: [60, 80, 100] },
      },
      bestOf: { newTokens: 32, singleMs: [1000, 1100], bestOf4Ms: [2500, 2600] },
      mainThread: { longestTaskMs: 30, tasksOver50ms: 0, streamedTokens: 500, streamMs: 9000 },
      conversationList: { few: { ms: 40, conversations: 10, rendered: 10 }, many: { ms: 50, conversations: 1000, rendered: 40 } },
      ...overrides,
    },
    native: { tiny: { runtime: 'onnxruntime-node 1.30.0', promptTokens: 128, newTokens: 64, rows: [{ threads: 2, ttftMs: 200, prefillTokensPerSecond: 640, decodeTokensPerSecond: 100 }] } },
  };
}

describe('benchmark report', () => {
  it('summarises runs by their median', () => {
    const p = path('app', 30);
    expect(p.ttftMs).toBe(400);
    expect(p.decodeTokensPerSecond).toBe(30);
  });

  it('computes ratios and growth, NaN where a figure is missing', () => {
    expect(ratio(30, 40)).toBe(0.75);
    expect(ratio(undefined, 40)).toBeNaN();
    expect(growth([100, 110, 120])).toBeCloseTo(1.2);
  });

  it('prints every figure with a/b, b/c and d/c ratios, both WASM engines against native and a verdict per target', () => {
    const table = reportTable(report());
    expect(table).toContain('| tiny | wasm-threads | 0.75× |'); // decode a/b = 30/40
    expect(table).toContain('0.80× |'); // decode b/c = 40/50
    expect(table).toContain('| (d) wllama (llama.cpp) | q8 · 2 thr |');
    expect(table).toContain('0.80× | 1.00× | 1.00× | 1.50× | 1.00× |'); // b/c …, then decode d/c = 75/50
    // Native beside both WASM engines: (c) 50 and (d) 75 tok/s, so 0.50× and 0.75× of native decode.
    expect(table).toContain('| tiny | 2 | 200 | 640.0 | 100.0 | 50.0 | 75.0 | 0.50× | 0.50× | 0.75× | 0.50× |');
    // Turn 2 with the cache reused: 5200 vs 4000 ms, so wllama is 1.30× as fast and qualifies.
    expect(table).toContain('| tiny | 2 | 30 → 128 | 120 | 5200 | 29 → 128 | 600 | 4000 | 1.30× |');
    expect(table).toMatch(/wllama is 1\.30× as fast .*\*\*it qualifies\*\*/);
    expect(table).toMatch(/app decode ÷ raw transformers\.js \(tiny, worst WASM mode\).*0\.75×.*\*\*not met\*\*/);
    expect(table).toMatch(/TTFT turn 3 ÷ turn 1, KV reuse \(median of 1\) \| 1\.20×.*\| met \|/);
    expect(table).toMatch(/best-of-4 ÷ single reply.*2\.43×.*\*\*not met\*\*/);
    expect(table).toMatch(/open the conversation list: 1000 ÷ 10 conversations \| 1\.25×.*\| met \|/);
  });

  it('reports a run that lost figures, so a smoke run in CI fails instead of publishing blanks', () => {
    expect(missingFigures(report())).toEqual([]);
    const broken = report({ bestOf: { newTokens: 8, singleMs: [], bestOf4Ms: [900] } });
    broken.modes[0]!.paths[2]!.decodeTokensPerSecond = Number.NaN;
    broken.modes[0]!.paths[3]!.secondTurn = undefined;
    expect(missingFigures(broken)).toEqual([
      'tiny/wasm-threads/ort decode tok/s = NaN',
      'tiny/wasm-threads/wllama turn 2 TTFT = NaN',
      'tiny/wasm-threads/wllama turn 2 whole reply = NaN',
      'best-of-4 ÷ single = NaN',
    ]);
  });
});
