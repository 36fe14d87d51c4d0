import type { Backend, BackendPreference, Dtype } from './protocol';
import { runsOnWebGpu, type AdapterIdentity, type WebGpuSupport } from './backend-choice';

/**
 * Which backend a model runs on when the user leaves it to the app and the GPU is a real one.
 * A discrete GPU usually decodes much faster than the CPU, but an integrated one can lose
 * to WebAssembly, on a small model especially, so both are timed on this device, once per adapter, model and dtype pair, and the faster is remembered. Plain
 * logic: the loads and the timing come in as `measure`, the memory as `remembered`.
 */

/** The figures behind a measured choice, as remembered in the app's settings store. */
export interface BackendMeasurement {
  /** measurementKey(): the adapter, the model and the dtype each backend runs. */
  key: string;
  /** The faster backend, the one the model runs on. */
  backend: Backend;
  /** Decode speed in tokens per second; null when that backend failed or was not timed. */
  webgpuTokensPerSecond: number | null;
  wasmTokensPerSecond: number | null;
  /** The figures and the outcome in words, e.g. "WebGPU 41 tok/s vs WASM 12 tok/s: …". */
  reason: string;
  /** Date.now() when it was measured. */
  measuredAt: number;
}

/**
 * Decode steps timed per backend: seconds at most, even on a slow backend. Timed here only on the
 * tiny demo model (1-2 ms a step on 2 busy cores), where any count is noisy and the backend timed
 * first tended to come out slower; 16 gives the median more steps past a load's slow start than 8.
 * A real model's steps take tens of milliseconds, where such jitter weighs less.
 */
export const MEASURE_STEPS = 16;

/**
 * One key per adapter, model and the dtype each backend would run: another GPU, another model or
 * another set of stored files (a q8 downloaded later) deserves a measurement of its own.
 */
export function measurementKey(adapter: AdapterIdentity | undefined, modelId: string, dtypes: Record<Backend, Dtype>): string {
  const gpu = adapter ? [adapter.vendor, adapter.architecture, adapter.device].join('/') : 'unknown adapter';
  return `${gpu} | ${modelId} | webgpu ${dtypes.webgpu}, wasm ${dtypes.wasm}`;
}

export interface DecisionInput {
  preference: BackendPreference;
  webgpu: WebGpuSupport;
  /** This device and model's measurementKey, or null when it may not be measured now. */
  key: string | null;
  /** What was measured before under `key`, if anything. */
  remembered: BackendMeasurement | null;
  /** Loads the model on `backend` and times a few decode steps: tokens per second. */
  measure(backend: Backend): Promise<number>;
  /**
   * Whether a measurement that threw may be answered by using the other backend; false rethrows
   * (a missing model fails on either backend). Every failure may, when not given.
   */
  mayFallBack?(backend: Backend, error: unknown): boolean;
  now?: () => number;
}

export interface BackendDecision {
  backend: Backend;
  /** The measurement the choice rests on (new or remembered), for the UI; null when none does. */
  measurement: BackendMeasurement | null;
  /** A new measurement to store under its key; null when nothing was measured. */
  remember: BackendMeasurement | null;
}

/**
 * The backend to load. Settings' WebGPU or WASM wins without measuring; a missing or software
 * adapter means WASM; then a remembered measurement; else both are measured now, WebGPU first:
 * a failed WebGPU load leaves the worker unable to load anything (DESIGN.md §10), so WASM is not
 * measured after one and simply used.
 */
export async function decideBackend(input: DecisionInput): Promise<BackendDecision> {
  const { preference, webgpu, key, remembered } = input;
  const unmeasured: BackendDecision = {
    backend: runsOnWebGpu(preference, webgpu) ? 'webgpu' : 'wasm',
    measurement: null,
    remember: null,
  };
  if (preference !== 'auto' || !webgpu.available || webgpu.software === true || key === null) return unmeasured;
  if (remembered?.key === key) return { backend: remembered.backend, measurement: remembered, remember: null };

  const measuredAt = (input.now ?? Date.now)();
  const webgpuRate = await timed(input, 'webgpu');
  if (!webgpuRate.ok) {
    return measured({
      key, backend: 'wasm', webgpuTokensPerSecond: null, wasmTokensPerSecond: null, measuredAt,
      reason: `WebGPU failed while being measured (${webgpuRate.error}), so WebAssembly (CPU) runs this model.`,
    });
  }
  const wasmRate = await timed(input, 'wasm');
  if (!wasmRate.ok) {
    return measured({
      key, backend: 'webgpu', webgpuTokensPerSecond: webgpuRate.rate, wasmTokensPerSecond: null, measuredAt,
      reason: `WebGPU ${formatRate(webgpuRate.rate)}; WASM failed while being measured (${wasmRate.error}), so WebGPU runs this model.`,
    });
  }
  // A tie goes to WebGPU: it leaves the CPU to the page.
  const backend: Backend = wasmRate.rate > webgpuRate.rate ? 'wasm' : 'webgpu';
  const winner = backend === 'webgpu' ? 'WebGPU' : 'WebAssembly (CPU)';
  return measured({
    key, backend, webgpuTokensPerSecond: webgpuRate.rate, wasmTokensPerSecond: wasmRate.rate, measuredAt,
    reason: `${figures(webgpuRate.rate, wasmRate.rate)}: ${winner} is faster on this device.`,
  });
}

/** "WebGPU 41 tok/s vs WASM 12 tok/s". */
function figures(webgpu: number, wasm: number): string {
  return `WebGPU ${formatRate(webgpu)} vs WASM ${formatRate(wasm)}`;
}

/** Whole tokens per second, but one decimal below 10 so a slow backend does not read as 0. */
export function formatRate(tokensPerSecond: number): string {
  const digits = tokensPerSecond < 10 ? 1 : 0;
  return `${tokensPerSecond.toFixed(digits)} tok/s`;
}

/**
 * Decode rate from the times (ms) at which each generated token arrived. The first `untimed`
 * are left out: the first comes after the prefill, and the first cached step compiles WebGPU's
 * decode shaders. The median step after them sets the rate, so one step stalled by a garbage
 * collection or another tab does not decide the backend.
 */
export function decodeRate(tokenTimes: readonly number[], untimed: number): number {
  if (untimed < 1 || tokenTimes.length <= untimed) throw new Error(`Too few decode steps to time (${tokenTimes.length} tokens).`);
  const steps = tokenTimes.slice(untimed).map((time, i) => time - tokenTimes[untimed - 1 + i]!);
  const median = medianOf(steps);
  if (!(median > 0)) throw new Error('The decode steps took no measurable time.');
  return 1000 / median;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Timing = { ok: true; rate: number } | { ok: false; error: string };

async function timed(input: DecisionInput, backend: Backend): Promise<Timing> {
  try {
    const rate = await input.measure(backend);
    if (!Number.isFinite(rate) || rate <= 0) return { ok: false, error: `no decode speed came back (${rate})` };
    return { ok: true, rate };
  } catch (error) {
    if (input.mayFallBack && !input.mayFallBack(backend, error)) throw error;
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function measured(measurement: BackendMeasurement): BackendDecision {
  return { backend: measurement.backend, measurement, remember: measurement };
}
