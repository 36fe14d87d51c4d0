import { describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../workers/shared/protocol';
import { chooseBackend, type WebGpuSupport } from '../../workers/shared/backend-choice';
import {
  decideBackend,
  decodeRate,
  formatRate,
  measurementKey,
  type BackendMeasurement,
  type DecisionInput,
} from '../../workers/shared/backend-benchmark';

const adapter = { vendor: 'nvidia', architecture: 'ada', device: '0x2684' };
const realGpu: WebGpuSupport = { available: true, shaderF16: true, reason: null, software: false, adapter };
const softwareGpu: WebGpuSupport = { available: true, shaderF16: false, reason: null, software: true };
const noGpu: WebGpuSupport = { available: false, shaderF16: false, reason: 'This browser does not offer WebGPU.' };
const KEY = measurementKey(adapter, 'hf.co/org/chat', { webgpu: 'q4f16', wasm: 'q8' });

/** A measure() that answers from a table (a number, or an Error to throw) and records what it was asked. */
function measuring(rates: Partial<Record<Backend, number | Error>>) {
  const asked: Backend[] = [];
  const measure = vi.fn(async (backend: Backend) => {
    asked.push(backend);
    const rate = rates[backend];
    if (rate instanceof Error) throw rate;
    if (rate === undefined) throw new Error(`${backend} was not expected to be measured`);
    return rate;
  });
  return { asked, measure };
}

function input(overrides: Partial<DecisionInput> & Pick<DecisionInput, 'measure'>): DecisionInput {
  return { preference: 'auto', webgpu: realGpu, key: KEY, remembered: null, now: () => 1234, ...overrides };
}

const remembered = (backend: Backend, key = KEY): BackendMeasurement => ({
  key, backend, webgpuTokensPerSecond: 20, wasmTokensPerSecond: 30, reason: 'measured before', measuredAt: 1,
});

describe('decideBackend on a real adapter with nothing remembered', () => {
  it('measures WebGPU, then WASM, and keeps WebGPU when it is faster, with the figures as the reason', async () => {
    const { asked, measure } = measuring({ webgpu: 41.2, wasm: 12.4 });
    const decision = await decideBackend(input({ measure }));
    expect(asked).toEqual(['webgpu', 'wasm']);
    expect(decision.backend).toBe('webgpu');
    expect(decision.measurement?.reason).toBe('WebGPU 41 tok/s vs WASM 12 tok/s: WebGPU is faster on this device.');
    expect(decision.remember).toEqual({
      key: KEY, backend: 'webgpu', webgpuTokensPerSecond: 41.2, wasmTokensPerSecond: 12.4,
      reason: decision.measurement?.reason, measuredAt: 1234,
    });
  });

  it('keeps WASM when it is faster (an integrated GPU on a small model)', async () => {
    const { asked, measure } = measuring({ webgpu: 6.5, wasm: 30 });
    const decision = await decideBackend(input({ measure }));
    expect(asked).toEqual(['webgpu', 'wasm']);
    expect(decision.backend).toBe('wasm');
    expect(decision.remember?.backend).toBe('wasm');
    expect(decision.measurement?.reason).toBe('WebGPU 6.5 tok/s vs WASM 30 tok/s: WebAssembly (CPU) is faster on this device.');
  });

  it('gives a tie to WebGPU', async () => {
    const { measure } = measuring({ webgpu: 10, wasm: 10 });
    expect((await decideBackend(input({ measure }))).backend).toBe('webgpu');
  });

  it('uses WASM without measuring it when WebGPU fails, says why, and remembers that', async () => {
    const { asked, measure } = measuring({ webgpu: new Error('Out of GPU memory'), wasm: 50 });
    const decision = await decideBackend(input({ measure }));
    expect(asked).toEqual(['webgpu']);
    expect(decision.backend).toBe('wasm');
    expect(decision.measurement?.reason).toMatch(/^WebGPU failed while being measured \(Out of GPU memory\)/);
    expect(decision.remember).toMatchObject({ backend: 'wasm', webgpuTokensPerSecond: null, wasmTokensPerSecond: null });
  });

  it('counts a WebGPU run that reports no speed as a failure', async () => {
    const { measure } = measuring({ webgpu: 0, wasm: 50 });
    const decision = await decideBackend(input({ measure }));
    expect(decision.backend).toBe('wasm');
    expect(decision.measurement?.reason).toMatch(/WebGPU failed/);
  });

  it('keeps WebGPU, which worked, when WASM fails', async () => {
    const { measure } = measuring({ webgpu: 8, wasm: new Error('no q8 file') });
    const decision = await decideBackend(input({ measure }));
    expect(decision.backend).toBe('webgpu');
    expect(decision.measurement?.reason).toMatch(/^WebGPU 8\.0 tok\/s; WASM failed while being measured \(no q8 file\)/);
  });

  it('rethrows a failure the caller says the other backend cannot answer (a missing model)', async () => {
    const { asked, measure } = measuring({ webgpu: new Error('model not found') });
    await expect(decideBackend(input({ measure, mayFallBack: () => false }))).rejects.toThrow('model not found');
    expect(asked).toEqual(['webgpu']);
  });
});

describe('decideBackend without measuring', () => {
  it('uses the remembered faster backend and measures nothing', async () => {
    const { measure } = measuring({});
    for (const backend of ['wasm', 'webgpu'] as const) {
      const decision = await decideBackend(input({ measure, remembered: remembered(backend) }));
      expect(decision).toEqual({ backend, measurement: remembered(backend), remember: null });
    }
    expect(measure).not.toHaveBeenCalled();
  });

  it('measures again when what is remembered belongs to another adapter, model or dtype pair', async () => {
    const { measure } = measuring({ webgpu: 5, wasm: 9 });
    const otherGpu = measurementKey({ ...adapter, device: '0x1234' }, 'hf.co/org/chat', { webgpu: 'q4f16', wasm: 'q8' });
    const decision = await decideBackend(input({ measure, remembered: remembered('webgpu', otherGpu) }));
    expect(measure).toHaveBeenCalledTimes(2);
    expect(decision.backend).toBe('wasm');
  });

  it('follows a WebGPU or WASM chosen in Settings over any measurement, remembered or not', async () => {
    const { measure } = measuring({});
    const webgpu = await decideBackend(input({ preference: 'webgpu', measure, remembered: remembered('wasm') }));
    expect(webgpu).toEqual({ backend: 'webgpu', measurement: null, remember: null });
    const wasm = await decideBackend(input({ preference: 'wasm', measure, remembered: remembered('webgpu') }));
    expect(wasm).toEqual({ backend: 'wasm', measurement: null, remember: null });
    expect((await decideBackend(input({ preference: 'wasm', measure }))).backend).toBe('wasm');
    expect(measure).not.toHaveBeenCalled();
  });

  it('never measures a software adapter: WASM, unless WebGPU is chosen in Settings', async () => {
    const { measure } = measuring({});
    expect((await decideBackend(input({ webgpu: softwareGpu, measure }))).backend).toBe('wasm');
    expect((await decideBackend(input({ webgpu: softwareGpu, measure, remembered: remembered('webgpu') }))).backend).toBe('wasm');
    expect((await decideBackend(input({ webgpu: softwareGpu, preference: 'webgpu', measure }))).backend).toBe('webgpu');
    expect((await decideBackend(input({ webgpu: noGpu, measure }))).backend).toBe('wasm');
    expect(measure).not.toHaveBeenCalled();
  });

  it('uses WebGPU unmeasured when the model may not be measured now (no key: its files are not all here)', async () => {
    const { measure } = measuring({});
    expect(await decideBackend(input({ key: null, measure }))).toEqual({ backend: 'webgpu', measurement: null, remember: null });
    expect(measure).not.toHaveBeenCalled();
  });
});

describe('measurement keys', () => {
  it('differ by adapter, model and dtype pair', () => {
    const base = measurementKey(adapter, 'm', { webgpu: 'q4f16', wasm: 'q8' });
    expect(measurementKey({ ...adapter, vendor: 'amd' }, 'm', { webgpu: 'q4f16', wasm: 'q8' })).not.toBe(base);
    expect(measurementKey(adapter, 'n', { webgpu: 'q4f16', wasm: 'q8' })).not.toBe(base);
    expect(measurementKey(adapter, 'm', { webgpu: 'q4f16', wasm: 'q4f16' })).not.toBe(base);
    expect(measurementKey({ ...adapter }, 'm', { webgpu: 'q4f16', wasm: 'q8' })).toBe(base);
  });
});

describe('decode rate', () => {
  it('times the steps after the untimed ones', () => {
    // Prefill at 500 ms, shader compile on the first cached step, then 4 steps of 25 ms.
    expect(decodeRate([500, 900, 925, 950, 975, 1000], 2)).toBeCloseTo(40);
    expect(decodeRate([500, 520, 540, 560], 1)).toBeCloseTo(50);
  });

  it('goes by the median step, so one stalled step does not decide', () => {
    // Steps of 20, 20, 400 (a collection), 20, 25 ms: median 20 ms.
    expect(decodeRate([0, 100, 120, 140, 540, 560, 585], 2)).toBeCloseTo(50);
    // An even count: the middle two steps (20 and 30 ms) average to 25.
    expect(decodeRate([0, 100, 120, 150, 170, 210], 2)).toBeCloseTo(40);
  });

  it('refuses to make up a rate from too few tokens', () => {
    expect(() => decodeRate([500, 900], 2)).toThrow(/Too few decode steps/);
    expect(() => decodeRate([], 2)).toThrow(/Too few/);
    expect(() => decodeRate([5, 5, 5], 1)).toThrow(/no measurable time/);
  });

  it('formats slow rates with a decimal, fast ones whole', () => {
    expect(formatRate(3.24)).toBe('3.2 tok/s');
    expect(formatRate(41.4)).toBe('41 tok/s');
  });
});

describe('chooseBackend with a measured backend', () => {
  it('runs on WASM (q8, no fallback reason) when WASM was measured faster on a real adapter', () => {
    expect(chooseBackend('auto', realGpu, ['q8', 'q4f16'], 'wasm')).toEqual({ backend: 'wasm', dtype: 'q8', fallbackReason: null });
    expect(chooseBackend('auto', realGpu, ['q8', 'q4f16'], 'webgpu')).toMatchObject({ backend: 'webgpu', dtype: 'q4f16' });
  });

  it('lets Settings override the measured backend', () => {
    expect(chooseBackend('webgpu', realGpu, ['q8', 'q4f16'], 'wasm')).toMatchObject({ backend: 'webgpu' });
    expect(chooseBackend('wasm', realGpu, ['q8', 'q4f16'], 'webgpu')).toMatchObject({ backend: 'wasm' });
  });

  it('never puts a software adapter to work because of a measurement', () => {
    expect(chooseBackend('auto', softwareGpu, ['q8', 'q4'], 'webgpu')).toMatchObject({ backend: 'wasm' });
  });
});
