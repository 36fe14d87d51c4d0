/**
 * The onnxruntime session options transformers.js 4.3.1 builds for a causal LM's `model` session
 * (src/models/session.js getSession + src/backends/onnx.js createInferenceSession), rebuilt here so
 * the raw page measures the same runtime configuration, not a differently tuned one:
 * - executionProviders: [device] ('wasm' → 'wasm', 'webgpu' → 'webgpu');
 * - logSeverityLevel 3 (transformers.js' default log level WARNING maps to ORT "error");
 * - freeDimensionOverrides only when config.json's transformers.js_config (or its device_config
 *   entry for this device) sets free_dimension_overrides;
 * - preferredOutputLocation 'gpu-buffer' for every present.N.key/value on webgpu, so the KV cache
 *   stays on the GPU between steps;
 * - nothing else: graphOptimizationLevel, execution mode and threads are left to onnxruntime's
 *   defaults (threads come from env.wasm.numThreads).
 */
import type { RawDevice } from './bench-api';

export interface TransformersJsConfig {
  free_dimension_overrides?: Record<string, number>;
  device_config?: Record<string, { free_dimension_overrides?: Record<string, number> }>;
}

export interface SessionOptionsLike {
  executionProviders: RawDevice[];
  logSeverityLevel: 0 | 1 | 2 | 3 | 4;
  freeDimensionOverrides?: Record<string, number>;
  preferredOutputLocation?: Record<string, 'gpu-buffer'>;
}

/** transformers.js maps its default log level (WARNING) to onnxruntime's "error" (3). */
export const TRANSFORMERS_LOG_SEVERITY = 3;

export function transformersLikeSessionOptions(
  config: { 'transformers.js_config'?: TransformersJsConfig },
  device: RawDevice,
  layers: number,
): SessionOptionsLike {
  const custom = config['transformers.js_config'] ?? {};
  const overrides = custom.device_config?.[device]?.free_dimension_overrides ?? custom.free_dimension_overrides;
  const options: SessionOptionsLike = { executionProviders: [device], logSeverityLevel: TRANSFORMERS_LOG_SEVERITY };
  if (overrides) options.freeDimensionOverrides = overrides;
  if (device === 'webgpu') {
    const location: Record<string, 'gpu-buffer'> = {};
    for (let layer = 0; layer < layers; layer++) {
      location[`present.${layer}.key`] = 'gpu-buffer';
      location[`present.${layer}.value`] = 'gpu-buffer';
    }
    options.preferredOutputLocation = location;
  }
  return options;
}

/**
 * A canonical JSON summary of session options, so the driver can check that both pages created
 * their sessions alike (the transformers.js page records what transformers.js passed).
 */
export function describeSessionOptions(options: object | undefined): string {
  if (!options) return 'none';
  const entries = Object.entries(options)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => [key, canonical(value)]);
  return JSON.stringify(Object.fromEntries(entries));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}
