import { describe, expect, it } from 'vitest';
import type { BackendPreference, Dtype } from '../../workers/shared/protocol';
import { chooseBackend, type WebGpuSupport } from '../../workers/shared/backend-choice';
import { HUB_CATALOG } from '../../src/inference/model-catalog';
import { expectedDownload } from '../../src/inference/model-probe';
import { filesForDtype } from '../../src/inference/model-files';

const DEVICES: Record<string, WebGpuSupport> = {
  'no WebGPU': { available: false, shaderF16: false, reason: 'This browser does not offer WebGPU.' },
  'WebGPU with shader-f16': { available: true, shaderF16: true, reason: null },
  'WebGPU without shader-f16': { available: true, shaderF16: false, reason: null },
  'a software adapter': { available: true, shaderF16: true, reason: null, software: true },
};
const PREFERENCES: BackendPreference[] = ['auto', 'webgpu', 'wasm'];

/** Parameters per the model cards: what each dtype's bytes are checked against for typos. */
const PARAMETERS: Record<string, number> = {
  'HuggingFaceTB/SmolLM2-360M-Instruct': 362e6,
  'onnx-community/Qwen2.5-0.5B-Instruct': 494e6,
  'onnx-community/Llama-3.2-1B-Instruct': 1.24e9,
};
/** Bytes per parameter an ONNX export of each dtype weighs (q4 keeps some fp32 tensors, such as the embeddings). */
const BYTES_PER_PARAMETER: Record<Dtype, [number, number]> = {
  fp32: [3.8, 4.8],
  fp16: [1.9, 2.4],
  q8: [0.95, 1.3],
  q4: [0.5, 1.7],
  q4f16: [0.5, 1.1],
};

describe('catalog download sizes', () => {
  it('publishes a size for every catalog model and every dtype it offers', () => {
    for (const entry of HUB_CATALOG) {
      for (const dtype of entry.spec.dtypes) {
        expect(entry.publishedSizes?.[dtype], `${entry.spec.id} ${dtype}`).toBeGreaterThan(0);
      }
    }
  });

  it('shows a size before download whatever backend and dtype the device picks', () => {
    for (const entry of HUB_CATALOG) {
      for (const [device, webgpu] of Object.entries(DEVICES)) {
        for (const preference of PREFERENCES) {
          const { dtype } = chooseBackend(preference, webgpu, entry.spec.dtypes);
          const shown = expectedDownload(entry.publishedSizes, undefined, dtype);
          expect(shown.bytes, `${entry.spec.id} on ${device}, ${preference}: ${dtype}`).toBeGreaterThan(0);
          expect(shown.measured).toBe(false);
        }
      }
    }
  });

  it('has figures that fit each model\'s parameter count (no slipped digit)', () => {
    for (const entry of HUB_CATALOG) {
      const parameters = PARAMETERS[entry.spec.id];
      expect(parameters, entry.spec.id).toBeDefined();
      for (const dtype of entry.spec.dtypes) {
        const [low, high] = BYTES_PER_PARAMETER[dtype];
        const perParameter = entry.publishedSizes![dtype]! / parameters!;
        expect(perParameter, `${entry.spec.id} ${dtype}`).toBeGreaterThanOrEqual(low);
        expect(perParameter, `${entry.spec.id} ${dtype}`).toBeLessThanOrEqual(high);
      }
    }
  });

  it('replaces the published figure with the host\'s exact bytes once "Check size" has asked', () => {
    const smol = HUB_CATALOG[0]!;
    const sizes = Object.fromEntries(filesForDtype('q4f16', null).map((file) => [file, 1000]));
    sizes['onnx/model_q4f16.onnx'] = 300_123_456;
    const exact = expectedDownload(smol.publishedSizes, { sizes, config: null }, 'q4f16');
    expect(exact).toEqual({ bytes: 300_123_456 + 4 * 1000, measured: true });
    expect(exact.bytes).not.toBe(smol.publishedSizes!.q4f16);
  });

  it('says the size is unknown for a model the catalog has no figure for, until the host is asked', () => {
    expect(expectedDownload(undefined, undefined, 'q8')).toEqual({ bytes: null, measured: false });
  });
});
