import type { Backend, BackendPreference, Dtype } from '../../workers/shared/protocol';
import { chooseBackend, type WebGpuSupport } from '../../workers/shared/backend-choice';
import {
  decideBackend,
  MEASURE_STEPS,
  measurementKey,
  type BackendDecision,
  type BackendMeasurement,
} from '../../workers/shared/backend-benchmark';
import { DialogueError, type LoadMeasuring, type ReadyInfo } from './dialogue-client';

export interface MeasuredLoadInput {
  preference: BackendPreference;
  webgpu: WebGpuSupport;
  /** measurementKeyFor(); null when the model may not be measured now. */
  key: string | null;
  remembered: BackendMeasurement | null;
  /** Loads the model in the current worker (DialogueClient.load with the spec bound). */
  load(backend: BackendPreference, measuring?: LoadMeasuring): Promise<ReadyInfo>;
  /** Shuts the worker down, so the next load starts a fresh one. */
  freshWorker(): void;
}

/**
 * The key a model's measurement is remembered under on this adapter: the dtype each backend would
 * run from `dtypes` (the files on the device). Null when the model has no usable dtype.
 */
export function measurementKeyFor(webgpu: WebGpuSupport, modelId: string, dtypes: Dtype[]): string | null {
  try {
    const pair = { webgpu: chooseBackend('webgpu', webgpu, dtypes).dtype, wasm: chooseBackend('wasm', webgpu, dtypes).dtype };
    return measurementKey(webgpu.adapter, modelId, pair);
  } catch {
    return null;
  }
}

/**
 * Loads the model on the backend decideBackend picks. Measuring loads it on WebGPU and then on
 * WASM in the same worker, each timed; the last one loaded stays when it is the faster, else the
 * faster is loaded once more. A worker where a load failed cannot load again (DESIGN.md §10), so
 * after a failed measurement the final load gets a fresh worker.
 */
export async function loadOnFasterBackend(input: MeasuredLoadInput): Promise<{ ready: ReadyInfo; decision: BackendDecision }> {
  // What the measuring loads left in the worker (set inside `measure`, read after the decision).
  const worker: { loaded: { backend: Backend; ready: ReadyInfo } | null; failed: boolean } = { loaded: null, failed: false };
  const decision = await decideBackend({
    preference: input.preference,
    webgpu: input.webgpu,
    key: input.key,
    remembered: input.remembered,
    measure: async (backend) => {
      worker.loaded = null;
      try {
        const ready = await input.load('auto', { measured: backend, measureSteps: MEASURE_STEPS });
        worker.loaded = { backend, ready };
        return ready.measuredTokensPerSecond ?? 0;
      } catch (error) {
        worker.failed = true;
        throw error;
      }
    },
    mayFallBack: canUseOtherBackend,
  });
  if (worker.loaded?.backend === decision.backend) return { ready: worker.loaded.ready, decision };
  if (worker.failed) input.freshWorker();
  // A remembered or new measurement steers the worker's 'auto'; Settings' choice needs no help.
  const measured = decision.measurement ? decision.backend : undefined;
  return { ready: await input.load(input.preference, { measured }), decision };
}

/**
 * WebGPU's own failure (the worker's 'backend' error) is answered by WASM, and a failed WASM run
 * by WebGPU, which had just worked. Anything else fails the load as it would without measuring:
 * a missing model fails on either backend, and a crashed worker is reloaded by its crash handler.
 */
function canUseOtherBackend(backend: Backend, error: unknown): boolean {
  if (!(error instanceof DialogueError)) return true;
  if (error.kind === 'worker-crashed') return false;
  return backend === 'wasm' || error.kind === 'backend';
}
