import { describe, expect, it } from 'vitest';
import { chooseBackend, type WebGpuSupport } from '../../workers/dialogue/backend-choice';

const noGpu: WebGpuSupport = { available: false, shaderF16: false, reason: 'This browser does not offer WebGPU.' };
const gpuF16: WebGpuSupport = { available: true, shaderF16: true, reason: null };
const gpuNoF16: WebGpuSupport = { available: true, shaderF16: false, reason: null };

describe('chooseBackend', () => {
  it('uses q4f16 on a WebGPU adapter with shader-f16', () => {
    expect(chooseBackend('auto', gpuF16, ['q8', 'q4', 'q4f16'])).toEqual({ backend: 'webgpu', dtype: 'q4f16', fallbackReason: null });
  });

  it('uses q4 on WebGPU without shader-f16 and says why', () => {
    const choice = chooseBackend('auto', gpuNoF16, ['q8', 'q4', 'q4f16']);
    expect(choice).toMatchObject({ backend: 'webgpu', dtype: 'q4' });
    expect(choice.fallbackReason).toMatch(/shader-f16/);
  });

  it('falls back to WASM q8 without WebGPU and passes the reason on', () => {
    const choice = chooseBackend('auto', noGpu, ['fp32', 'q8', 'q4']);
    expect(choice).toMatchObject({ backend: 'wasm', dtype: 'q8' });
    expect(choice.fallbackReason).toContain('does not offer WebGPU');
  });

  it('honours a WASM preference even when WebGPU exists', () => {
    expect(chooseBackend('wasm', gpuF16, ['q8', 'q4f16'])).toMatchObject({ backend: 'wasm', dtype: 'q8' });
  });

  it('uses fp32 on WASM when a model has no q8 file', () => {
    const choice = chooseBackend('wasm', noGpu, ['fp32', 'q4']);
    expect(choice.dtype).toBe('fp32');
    expect(choice.fallbackReason).toMatch(/no q8/);
  });

  it('refuses a model with no usable dtype', () => {
    expect(() => chooseBackend('auto', noGpu, [])).toThrow(/no usable dtype/);
  });
});
