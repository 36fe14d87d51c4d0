/**
 * What the one-line model status says: the model, the backend and how fast it writes. Plain
 * functions, so the line reads the same wherever it is shown and can be tested without a page.
 */
import type { FileProgress } from '../../inference/model-store.svelte';
import type { StoredMessage } from '../../storage/schema';

/**
 * The decode speed of the newest finished reply in the thread written by `modelId`, in tokens
 * per second; null when there is none (a fresh conversation, or replies by another model).
 */
export function latestDecodeRate(messages: readonly StoredMessage[], modelId: string): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'assistant' || message.modelId !== modelId) continue;
    const rate = message.metrics?.decodeTokensPerSecond;
    if (typeof rate === 'number' && Number.isFinite(rate) && rate > 0) return rate;
  }
  return null;
}

/** "14 tok/s", with one decimal below 10 where the difference is felt. */
export function rateText(tokensPerSecond: number): string {
  return `${tokensPerSecond < 10 ? tokensPerSecond.toFixed(1) : Math.round(tokensPerSecond)} tok/s`;
}

/** How much of the model's files has loaded, 0..100; null while no file has reported a size. */
export function loadPercent(files: readonly FileProgress[]): number | null {
  let loaded = 0;
  let total = 0;
  for (const file of files) {
    if (!file.total) continue;
    total += file.total;
    loaded += file.done ? file.total : Math.min(file.loaded, file.total);
  }
  return total > 0 ? Math.floor((loaded / total) * 100) : null;
}
