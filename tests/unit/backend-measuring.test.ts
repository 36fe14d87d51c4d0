import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Backend, BackendPreference } from '../../workers/shared/protocol';
import type { WebGpuSupport } from '../../workers/shared/backend-choice';
import { MEASURE_STEPS, type BackendMeasurement } from '../../workers/shared/backend-benchmark';
import { loadOnFasterBackend, measurementKeyFor, type MeasuredLoadInput } from '../../src/inference/backend-measuring';
import { DialogueError, type LoadMeasuring, type ReadyInfo } from '../../src/inference/dialogue-client';
import { BACKEND_MEASUREMENTS_KEY, loadBackendMeasurements, saveBackendMeasurements } from '../../src/storage/backend-measurements';
import { openChatDb } from '../../src/storage/db';

const realGpu: WebGpuSupport = {
  available: true, shaderF16: true, reason: null, software: false,
  adapter: { vendor: 'intel', architecture: 'gen-12lp', device: '0x9a49' },
};
const KEY = measurementKeyFor(realGpu, 'local:demo-chat-tiny', ['fp32', 'q8', 'q4', 'q4f16'])!;

type Outcome = number | DialogueError;

/**
 * The app side of measuring, with a stand-in for the worker: each load answers from `rates`
 * (tokens/s, or an error) for the backend it would run on, and the test reads back every load,
 * every fresh worker, and what each worker had loaded.
 */
function harness(rates: Partial<Record<Backend, Outcome>>, overrides: Partial<MeasuredLoadInput> = {}) {
  const log: string[] = [];
  const loads: { backend: BackendPreference; measuring: LoadMeasuring | undefined; worker: number }[] = [];
  let worker = 1;
  const input: MeasuredLoadInput = {
    preference: 'auto',
    webgpu: realGpu,
    key: KEY,
    remembered: null,
    async load(backend, measuring) {
      loads.push({ backend, measuring, worker });
      const runsOn: Backend = backend === 'auto' ? (measuring?.measured ?? 'webgpu') : backend;
      log.push(`load ${runsOn}${measuring?.measureSteps ? ' timed' : ''}`);
      const outcome = rates[runsOn] ?? 1;
      if (outcome instanceof DialogueError) throw outcome;
      const ready: ReadyInfo = { type: 'ready', id: `r${loads.length}`, backend: runsOn, dtype: runsOn === 'webgpu' ? 'q4f16' : 'q8', fallbackReason: null, threads: 2, wasmHeapBytes: 0, vocabSize: 32002 };
      return measuring?.measureSteps ? { ...ready, measuredTokensPerSecond: outcome } : ready;
    },
    freshWorker() {
      worker += 1;
      log.push('fresh worker');
    },
    ...overrides,
  };
  return { input, log, loads };
}

describe('loading a model on the faster backend', () => {
  it('times WebGPU then WASM, each for a few steps, and loads WebGPU again when it won', async () => {
    const { input, log, loads } = harness({ webgpu: 41, wasm: 12 });
    const { ready, decision } = await loadOnFasterBackend(input);
    expect(log).toEqual(['load webgpu timed', 'load wasm timed', 'load webgpu']);
    expect(loads[0]?.measuring).toEqual({ measured: 'webgpu', measureSteps: MEASURE_STEPS });
    // The final load tells the worker's 'auto' what was measured.
    expect(loads[2]).toMatchObject({ backend: 'auto', measuring: { measured: 'webgpu' } });
    expect(ready.backend).toBe('webgpu');
    expect(decision.remember?.reason).toMatch(/^WebGPU 41 tok\/s vs WASM 12 tok\/s/);
  });

  it('keeps the WASM model it just timed when WASM won: no third load', async () => {
    const { input, log } = harness({ webgpu: 5, wasm: 20 });
    const { ready, decision } = await loadOnFasterBackend(input);
    expect(log).toEqual(['load webgpu timed', 'load wasm timed']);
    expect(ready.backend).toBe('wasm');
    expect(decision.backend).toBe('wasm');
  });

  it('after WebGPU fails, loads WASM in a fresh worker, since the failed one cannot load again', async () => {
    const { input, log, loads } = harness({ webgpu: new DialogueError('backend', 'shader compile failed') });
    const { ready, decision } = await loadOnFasterBackend(input);
    expect(log).toEqual(['load webgpu timed', 'fresh worker', 'load wasm']);
    expect(loads[1]?.worker).toBe(2);
    expect(ready.backend).toBe('wasm');
    expect(decision.remember?.reason).toMatch(/WebGPU failed while being measured \(shader compile failed\)/);
  });

  it('after WASM fails, goes back to WebGPU in a fresh worker', async () => {
    const { input, log } = harness({ webgpu: 9, wasm: new DialogueError('out-of-memory', 'wasm heap exhausted') });
    const { ready } = await loadOnFasterBackend(input);
    expect(log).toEqual(['load webgpu timed', 'load wasm timed', 'fresh worker', 'load webgpu']);
    expect(ready.backend).toBe('webgpu');
  });

  it('fails the load, measuring no further, when the model itself is missing', async () => {
    const { input, log } = harness({ webgpu: new DialogueError('model-not-found', 'no such model') });
    await expect(loadOnFasterBackend(input)).rejects.toThrow('no such model');
    expect(log).toEqual(['load webgpu timed']);
  });

  it('loads once, untimed, on a remembered measurement', async () => {
    const remembered: BackendMeasurement = {
      key: KEY, backend: 'wasm', webgpuTokensPerSecond: 4, wasmTokensPerSecond: 9, reason: 'WebGPU 4.0 tok/s vs WASM 9.0 tok/s', measuredAt: 1,
    };
    const { input, loads } = harness({}, { remembered });
    const { decision } = await loadOnFasterBackend(input);
    expect(loads).toEqual([{ backend: 'auto', measuring: { measured: 'wasm' }, worker: 1 }]);
    expect(decision).toEqual({ backend: 'wasm', measurement: remembered, remember: null });
  });

  it('loads once, untimed, with the backend chosen in Settings', async () => {
    const { input, loads } = harness({}, { preference: 'wasm' });
    const { decision } = await loadOnFasterBackend(input);
    expect(loads).toEqual([{ backend: 'wasm', measuring: { measured: undefined }, worker: 1 }]);
    expect(decision.measurement).toBeNull();
  });

  it('keys a model by the dtype each backend runs from the files on the device', () => {
    expect(KEY).toBe('intel/gen-12lp/0x9a49 | local:demo-chat-tiny | webgpu q4f16, wasm q8');
    expect(measurementKeyFor(realGpu, 'local:demo-chat-tiny', ['q4f16'])).toMatch(/webgpu q4f16, wasm q4f16$/);
    expect(measurementKeyFor(realGpu, 'x', [])).toBeNull();
  });
});

describe('remembered measurements in the settings store', () => {
  it('round-trip, and a damaged entry is dropped (measured again) rather than trusted', async () => {
    const db = await openChatDb('backend-measurements-test');
    expect(await loadBackendMeasurements(db)).toEqual({});
    const good: BackendMeasurement = {
      key: KEY, backend: 'webgpu', webgpuTokensPerSecond: 41, wasmTokensPerSecond: null, reason: 'r', measuredAt: 5,
    };
    await saveBackendMeasurements(db, { [KEY]: good });
    expect(await loadBackendMeasurements(db)).toEqual({ [KEY]: good });
    await db.put('settings', { [KEY]: good, other: { ...good, key: 'other', backend: 'cuda' }, moved: good }, BACKEND_MEASUREMENTS_KEY);
    expect(await loadBackendMeasurements(db)).toEqual({ [KEY]: good });
    db.close();
  });
});
