/** The pure parts of the bare benchmark pages (bench/pages): argument checks, shapes, session options, figures. */
import { describe, expect, it } from 'vitest';
import { modelFileUrl, rates } from '../../bench/pages/bench-api';
import { decoderShapeFromConfig } from '../../bench/pages/decoder-shape';
import { describeSessionOptions, transformersLikeSessionOptions } from '../../bench/pages/transformers-session-options';
import { checkGenerateOptions, checkLoadOptions } from '../../bench/pages/validate-options';

describe('load and generate options', () => {
  it('accepts the benchmark models, devices and dtypes', () => {
    expect(checkLoadOptions({ model: 'bench-chat-smollm2-135m-shape', device: 'webgpu', dtype: 'q4' })).toEqual({
      model: 'bench-chat-smollm2-135m-shape',
      device: 'webgpu',
      dtype: 'q4',
    });
  });

  it('rejects paths, unknown devices and dtypes with the value it got', () => {
    expect(() => checkLoadOptions({ model: '../secrets', device: 'wasm', dtype: 'q8' })).toThrow(/"\.\.\/secrets"/);
    expect(() => checkLoadOptions({ model: 'm', device: 'cpu' as 'wasm', dtype: 'q8' })).toThrow(/"cpu"/);
    expect(() => checkLoadOptions({ model: 'm', device: 'wasm', dtype: 'fp16' as 'q8' })).toThrow(/q8, q4, fp32.*"fp16"/);
    expect(() => checkLoadOptions({ model: 'm', device: 'wasm', dtype: 'toString' as 'q8' })).toThrow(/dtype/);
  });

  it('needs exactly one prompt and a whole number of new tokens', () => {
    expect(checkGenerateOptions({ promptIds: [1, 2], newTokens: 3 }).newTokens).toBe(3);
    expect(() => checkGenerateOptions({ newTokens: 3 })).toThrow(/exactly one/);
    expect(() => checkGenerateOptions({ promptText: 'a', promptIds: [1], newTokens: 3 })).toThrow(/exactly one/);
    expect(() => checkGenerateOptions({ promptIds: [], newTokens: 3 })).toThrow(/non-empty/);
    expect(() => checkGenerateOptions({ promptIds: [1.5], newTokens: 3 })).toThrow(/integers/);
    expect(() => checkGenerateOptions({ promptIds: [1], newTokens: 0 })).toThrow(/positive integer/);
    expect(() => checkGenerateOptions({ promptIds: [1], newTokens: 2, repetitionPenalty: 0 })).toThrow(/repetitionPenalty/);
  });
});

describe('decoderShapeFromConfig', () => {
  it('reads head_dim when given, else hidden_size / heads, and defaults KV heads to heads', () => {
    expect(decoderShapeFromConfig({ num_hidden_layers: 30, num_attention_heads: 9, num_key_value_heads: 3, head_dim: 64 })).toEqual({
      layers: 30,
      kvHeads: 3,
      headDim: 64,
    });
    expect(decoderShapeFromConfig({ num_hidden_layers: 2, num_attention_heads: 4, hidden_size: 64 })).toEqual({ layers: 2, kvHeads: 4, headDim: 16 });
  });

  it('says what is missing', () => {
    expect(() => decoderShapeFromConfig({ num_attention_heads: 4, hidden_size: 64 })).toThrow(/num_hidden_layers/);
    expect(() => decoderShapeFromConfig({ num_hidden_layers: 2, num_attention_heads: 3, hidden_size: 64 })).toThrow(/head_dim/);
  });
});

describe('transformersLikeSessionOptions', () => {
  it('on wasm: the device and transformers.js log level, nothing else', () => {
    expect(transformersLikeSessionOptions({}, 'wasm', 2)).toEqual({ executionProviders: ['wasm'], logSeverityLevel: 3 });
  });

  it('on webgpu: keeps every present.* output on the GPU', () => {
    const options = transformersLikeSessionOptions({}, 'webgpu', 2);
    expect(options.preferredOutputLocation).toEqual({
      'present.0.key': 'gpu-buffer',
      'present.0.value': 'gpu-buffer',
      'present.1.key': 'gpu-buffer',
      'present.1.value': 'gpu-buffer',
    });
  });

  it('takes free dimension overrides from the config, the device entry first', () => {
    const config = {
      'transformers.js_config': {
        free_dimension_overrides: { batch_size: 1 },
        device_config: { webgpu: { free_dimension_overrides: { batch_size: 1, sequence_length: 1 } } },
      },
    };
    expect(transformersLikeSessionOptions(config, 'wasm', 1).freeDimensionOverrides).toEqual({ batch_size: 1 });
    expect(transformersLikeSessionOptions(config, 'webgpu', 1).freeDimensionOverrides).toEqual({ batch_size: 1, sequence_length: 1 });
  });

  it('describes options canonically, whatever the key order', () => {
    expect(describeSessionOptions({ b: { y: 1, x: 2 }, a: [1], c: undefined })).toBe('{"a":[1],"b":{"x":2,"y":1}}');
    expect(describeSessionOptions(undefined)).toBe('none');
  });
});

describe('figures', () => {
  it('computes TTFT, prefill and decode rates from three timestamps', () => {
    expect(rates(64, 33, 1000, 1500, 2500)).toEqual({
      ttftMs: 500,
      prefillTokensPerSecond: 128,
      decodeTokensPerSecond: 32,
      totalMs: 1500,
    });
    expect(rates(8, 1, 0, 10, 10).decodeTokensPerSecond).toBe(0);
  });

  it('builds model file URLs in transformers.js layout', () => {
    expect(modelFileUrl('demo-chat-tiny', 'q8', 'http://h/raw-ort.html')).toBe('http://h/models/demo-chat-tiny/onnx/model_quantized.onnx');
    expect(modelFileUrl('demo-chat-tiny', 'fp32', 'http://h/')).toBe('http://h/models/demo-chat-tiny/onnx/model.onnx');
  });
});
