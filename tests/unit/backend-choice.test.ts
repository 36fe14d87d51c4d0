import { describe, expect, it } from 'vitest';
import { chooseBackend, SOFTWARE_ADAPTER_REASON, type WebGpuSupport } from '../../workers/shared/backend-choice';
import { chooseRewardBackend } from '../../workers/reward/reward-models';
import { DEMO_ENCODER, DEMO_SAFETY } from '../../src/reward/reward-catalog';

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

  it('runs a q4f16-only model on WASM rather than refusing it, and says why it is slow', () => {
    const choice = chooseBackend('auto', noGpu, ['q4f16']);
    expect(choice).toMatchObject({ backend: 'wasm', dtype: 'q4f16' });
    expect(choice.fallbackReason).toMatch(/no q8 file; using q4f16/);
  });

  it('refuses a model with no usable dtype', () => {
    expect(() => chooseBackend('auto', noGpu, [])).toThrow(/no usable dtype/);
  });
});

describe('a software WebGPU adapter (SwiftShader, llvmpipe)', () => {
  const software: WebGpuSupport = { available: true, shaderF16: false, reason: null, software: true };

  it('counts as no GPU: the dialogue model and the reward models run on WASM, and the user is told why', () => {
    const choice = chooseBackend('auto', software, ['q8', 'q4']);
    expect(choice).toMatchObject({ backend: 'wasm', dtype: 'q8' });
    expect(choice.fallbackReason).toBe(SOFTWARE_ADAPTER_REASON);
    expect(chooseRewardBackend('auto', software, DEMO_ENCODER, DEMO_SAFETY).backend).toBe('wasm');
  });

  it('is used when the user chooses WebGPU in Settings', () => {
    expect(chooseBackend('webgpu', software, ['q8', 'q4'])).toMatchObject({ backend: 'webgpu', dtype: 'q4' });
    expect(chooseRewardBackend('webgpu', software, DEMO_ENCODER, DEMO_SAFETY).backend).toBe('webgpu');
  });

  it('leaves a real adapter chosen on "auto"', () => {
    expect(chooseBackend('auto', { ...software, software: false }, ['q8', 'q4']).backend).toBe('webgpu');
  });
});
