/** The tables bench/prefill-memory.ts prints: one for onnxruntime-node, one for Chromium. */
import type { BrowserRow } from './prefill-memory-browser';

export interface NodeRow {
  prefillChunk: number;
  promptTokens: number;
  ttftMs: number;
  peakAboveBaselineMB: number;
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The prefill size that stands for "one pass": longer than any prompt the benchmark builds. */
export const ONE_PASS = 1_000_000;

/** A chunk at least as long as the prompt is one pass (a failed run has no prompt count). */
function label(prefillChunk: number, promptTokens: number | undefined): string {
  return prefillChunk >= (promptTokens ?? ONE_PASS) ? 'one pass' : `chunks of ${prefillChunk}`;
}

export function nodeTable(rows: NodeRow[]): string {
  return [
    '| prefill | peak RSS above baseline | TTFT |',
    '| --- | ---: | ---: |',
    ...rows.map((row) => `| ${label(row.prefillChunk, row.promptTokens)} | ${mb(row.peakAboveBaselineMB * 1e6)} | ${seconds(row.ttftMs)} |`),
  ].join('\n');
}

/**
 * A failed prefill shows where the heap stood when it failed: at the 4 GiB ceiling (4,295 MB)
 * that is running out of memory, which is the figure the benchmark is after.
 */
function peakCell(row: BrowserRow): string {
  if (row.heapAfterPrefillBytes === undefined) return `failed: ${row.error ?? 'no figure'}`;
  if (row.error === undefined) return mb(row.heapAfterPrefillBytes);
  const what = /memory|alloc|OOM/i.test(row.error) ? 'out of memory' : `failed (${row.error.slice(0, 80)})`;
  return `${what} at ${mb(row.heapAfterPrefillBytes)}`;
}

export function browserTable(rows: BrowserRow[]): string {
  return [
    '| prefill | WASM heap after load | WASM heap after prefill (peak) | TTFT |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map((row) => {
      const load = row.heapAfterLoadBytes === undefined ? '—' : mb(row.heapAfterLoadBytes);
      const ttft = row.ttftMs === undefined ? '—' : seconds(row.ttftMs);
      return `| ${label(row.prefillChunk, row.promptTokens)} | ${load} | ${peakCell(row)} | ${ttft} |`;
    }),
  ].join('\n');
}
