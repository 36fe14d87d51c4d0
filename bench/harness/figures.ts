/** The shapes of the benchmark's results, and the few numbers computed from them. */

export type ModeName = 'wasm-1-thread' | 'wasm-threads' | 'webgpu-swiftshader';
export type PathName = 'app' | 'transformers' | 'ort' | 'wllama';

export interface RunFigures {
  ttftMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  promptTokens: number;
  newTokens: number;
  totalMs: number;
}

export interface PathResult {
  path: PathName;
  coldLoadMs: number;
  warmLoadMs: number;
  threads: number;
  dtype: string;
  backend: string;
  /** Medians of `runs`. */
  ttftMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
  promptTokens: number;
  newTokens: number;
  runs: RunFigures[];
  /** The app only: what its worker measured itself, medians. */
  worker?: { ttftMs: number; decodeTokensPerSecond: number };
  /** (c) and (d) on WASM: a conversation's second turn with the KV cache reused, medians. */
  secondTurn?: SecondTurn;
}

/** Turn 2 of a conversation: a new question after turn 1's reply, prefilled onto the kept cache. */
export interface SecondTurn {
  /** Tokens prefilled in turn 2 (the part of the prompt the cache did not have). */
  prefilledTokens: number;
  ttftMs: number;
  newTokens: number;
  /** TTFT plus every new token: what the user waits for the whole reply. */
  totalMs: number;
}

export interface ModeResult {
  model: string;
  mode: ModeName;
  paths: PathResult[];
}

/** Per turn: TTFT on screen, TTFT as the worker measured it, and the prompt tokens prefilled of all. */
export interface TurnSeries {
  ttftMs: number[];
  workerTtftMs: number[];
  prefillTokens: number[];
  promptTokens: number[];
}

export interface KvReuseResult {
  turns: number;
  /** Each turn's figures are medians over this many conversations. */
  repeats: number;
  withReuse: TurnSeries;
  withoutReuse: TurnSeries;
}

export interface BestOfResult {
  newTokens: number;
  singleMs: number[];
  bestOf4Ms: number[];
}

export interface MainThreadResult {
  longestTaskMs: number;
  tasksOver50ms: number;
  streamedTokens: number;
  streamMs: number;
}

export interface ListOpenResult {
  ms: number;
  conversations: number;
  rendered: number;
}

export interface NativeRow {
  threads: number;
  ttftMs: number;
  prefillTokensPerSecond: number;
  decodeTokensPerSecond: number;
}

export interface BenchReport {
  kind: 'browser-bench';
  smoke: boolean;
  measuredAt: string;
  machine: string;
  browser: string;
  settings: { promptWords: number; newTokens: number; runs: number };
  modes: ModeResult[];
  extras: {
    model: string;
    mode: ModeName;
    kvReuse: KvReuseResult;
    bestOf: BestOfResult;
    mainThread: MainThreadResult;
    conversationList: { few: ListOpenResult; many: ListOpenResult };
  };
  native: Record<string, { runtime: string; promptTokens: number; newTokens: number; rows: NativeRow[] }>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarise(path: PathName, runs: RunFigures[]): Pick<PathResult, 'path' | 'ttftMs' | 'prefillTokensPerSecond' | 'decodeTokensPerSecond' | 'promptTokens' | 'newTokens' | 'runs'> {
  return {
    path,
    ttftMs: median(runs.map((r) => r.ttftMs)),
    prefillTokensPerSecond: median(runs.map((r) => r.prefillTokensPerSecond)),
    decodeTokensPerSecond: median(runs.map((r) => r.decodeTokensPerSecond)),
    promptTokens: median(runs.map((r) => r.promptTokens)),
    newTokens: median(runs.map((r) => r.newTokens)),
    runs,
  };
}

/** a ÷ b, NaN when either is missing. */
export function ratio(a: number | undefined, b: number | undefined): number {
  return a !== undefined && b !== undefined && b !== 0 ? a / b : Number.NaN;
}

/** Last turn ÷ first turn. */
export function growth(series: readonly number[]): number {
  return ratio(series.at(-1), series[0]);
}

/** Every number the report must hold: a smoke run fails on any that is missing, NaN or not positive. */
export function missingFigures(report: BenchReport): string[] {
  const missing: string[] = [];
  const need = (name: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) missing.push(`${name} = ${value}`);
  };
  for (const mode of report.modes) {
    for (const p of mode.paths) {
      const at = `${mode.model}/${mode.mode}/${p.path}`;
      need(`${at} cold load`, p.coldLoadMs);
      need(`${at} warm load`, p.warmLoadMs);
      need(`${at} TTFT`, p.ttftMs);
      need(`${at} prefill tok/s`, p.prefillTokensPerSecond);
      need(`${at} decode tok/s`, p.decodeTokensPerSecond);
      if (p.path === 'wllama' || (p.path === 'ort' && mode.paths.some((q) => q.path === 'wllama'))) {
        need(`${at} turn 2 TTFT`, p.secondTurn?.ttftMs ?? Number.NaN);
        need(`${at} turn 2 whole reply`, p.secondTurn?.totalMs ?? Number.NaN);
      }
    }
  }
  const { kvReuse, bestOf, mainThread, conversationList } = report.extras;
  need('TTFT growth with KV reuse', growth(kvReuse.withReuse.ttftMs));
  need('TTFT growth without KV reuse', growth(kvReuse.withoutReuse.ttftMs));
  need('best-of-4 ÷ single', ratio(median(bestOf.bestOf4Ms), median(bestOf.singleMs)));
  need('tokens streamed for the main-thread check', mainThread.streamedTokens);
  need('list open, few', conversationList.few.ms);
  need('list open, many', conversationList.many.ms);
  return missing;
}
