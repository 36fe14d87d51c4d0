/**
 * How a reply's metrics read under it and in "look inside". A record from an older build or a
 * damaged one may lack a figure or hold something that is not a number; that figure is left
 * out, never allowed to throw — one odd field must not keep a whole conversation from showing.
 */
import type { ReplyMetrics } from '../../workers/shared/protocol';

/** `value` with `digits` decimals, or null when it is not a finite number. */
export function formatFigure(value: unknown, digits = 0): string | null {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : null;
}

const backendName = (backend: unknown) => (backend === 'webgpu' ? 'WebGPU' : backend === 'wasm' ? 'WASM' : null);

/**
 * "WASM · q8 · first token 120 ms · 31.3 tok/s · 9 tokens (12/40 prompt tokens prefilled)", with
 * whatever is missing left out; null when nothing is left to say.
 */
export function metricsLine(metrics: Partial<Record<keyof ReplyMetrics, unknown>> | null | undefined): string | null {
  if (typeof metrics !== 'object' || metrics === null) return null;
  const ttft = formatFigure(metrics.ttftMs);
  const speed = formatFigure(metrics.decodeTokensPerSecond, 1);
  const tokens = formatFigure(metrics.newTokens);
  const prefilled = formatFigure(metrics.prefillTokens);
  const prompt = formatFigure(metrics.promptTokens);
  const prefill = prefilled !== null && prompt !== null ? ` (${prefilled}/${prompt} prompt tokens prefilled)` : '';
  const parts = [
    backendName(metrics.backend),
    typeof metrics.dtype === 'string' ? metrics.dtype : null,
    ttft === null ? null : `first token ${ttft} ms`,
    speed === null ? null : `${speed} tok/s`,
    tokens === null ? null : `${tokens} tokens${prefill}`,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
