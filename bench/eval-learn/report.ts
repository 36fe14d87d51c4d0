/** The tables and JSON of `npm run eval:learn`: per model × preference, mean ± sd over seeds per K. */
import type { CheckpointRow, SeedResult } from './run-seed';
import { mean, meanSd } from './stats';

export interface RunResult {
  model: string;
  modelId: string;
  preference: string;
  seeds: SeedResult[];
  ms: number;
}

export interface MeanRow {
  k: number;
  dislikedRate: number;
  dislikedRateBestOf4: number;
  likedLogProbChange: number;
  likedLogProbChangeSparse: number;
}

/** Per K, the seeds' rows at that K (a seed that stopped short has none). */
function byK(run: RunResult): Map<number, CheckpointRow[]> {
  const out = new Map<number, CheckpointRow[]>();
  for (const seed of run.seeds) for (const row of seed.rows) out.set(row.k, [...(out.get(row.k) ?? []), row]);
  return out;
}

export function meanRows(run: RunResult): MeanRow[] {
  return [...byK(run)].map(([k, rows]) => ({
    k,
    dislikedRate: mean(rows.map((r) => r.dislikedRate)),
    dislikedRateBestOf4: mean(rows.map((r) => r.dislikedRateBestOf4)),
    likedLogProbChange: mean(rows.map((r) => r.likedLogProbChange)),
    likedLogProbChangeSparse: mean(rows.map((r) => r.likedLogProbChangeSparse)),
  }));
}

export function printTable(run: RunResult, log: (line: string) => void): void {
  const pad = (s: string, n: number) => s.padStart(n);
  log(`| K | seeds | disliked rate N=1 | disliked rate best-of-4 | liked log-prob change | (sparse estimate) | ratings +/− | replies sampled | adapter steps | bias on disliked-word tokens | end-of-turn bias | words/reply | distinct tokens |`);
  log(`|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|`);
  for (const [k, rows] of byK(run)) {
    const positives = mean(rows.map((r) => r.positives));
    log(
      `| ${k} | ${rows.length} | ${pad(meanSd(rows.map((r) => r.dislikedRate)), 13)} | ${pad(meanSd(rows.map((r) => r.dislikedRateBestOf4)), 13)} | ` +
        `${pad(meanSd(rows.map((r) => r.likedLogProbChange)), 15)} | ${meanSd(rows.map((r) => r.likedLogProbChangeSparse))} | ` +
        `${positives.toFixed(1)}/${(k - positives).toFixed(1)} | ` +
        `${mean(rows.map((r) => r.sampledForRatings)).toFixed(0)} | ${mean(rows.map((r) => r.trainSteps)).toFixed(0)} | ` +
        `${meanSd(rows.map((r) => r.dislikedTokenBias))} | ${meanSd(rows.map((r) => r.stopTokenBias))} | ${mean(rows.map((r) => r.meanWords)).toFixed(1)} | ` +
        `${mean(rows.map((r) => r.distinctTokens).filter(Number.isFinite)).toFixed(2)} |`,
    );
  }
  const liked = run.seeds.map((s) => s.likedReplies);
  const synthetic = run.seeds.map((s) => s.syntheticLiked);
  log(`liked reference replies per seed: ${liked.join(', ')}${synthetic.some((n) => n > 0) ? ` (synthetic: ${synthetic.join(', ')})` : ''}`);
}

export function jsonReport(runs: RunResult[], settings: Record<string, unknown>): unknown {
  return {
    rows: runs[0] ? meanRows(runs[0]) : [],
    settings,
    runs: runs.map((run) => ({
      model: run.model,
      modelId: run.modelId,
      preference: run.preference,
      seconds: Math.round(run.ms / 100) / 10,
      rows: meanRows(run),
      perSeed: run.seeds.map((s) => ({ likedReplies: s.likedReplies, syntheticLiked: s.syntheticLiked, rows: s.rows })),
    })),
  };
}
