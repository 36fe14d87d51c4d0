import type { ErrorKind } from '../shared/protocol';

export interface ClassifiedError {
  kind: ErrorKind;
  message: string;
}

/**
 * WebGPU could not load the model. transformers.js 4.3 cannot load another model in a worker
 * after a failed session, so the app retries on WASM in a fresh worker rather than here.
 */
export class WebGpuLoadError extends Error {
  override readonly name = 'WebGpuLoadError';
}

/** Turns whatever transformers.js / onnxruntime threw into a kind and a message a user can act on. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof WebGpuLoadError) return { kind: 'backend', message: error.message };
  const raw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const text = raw.toLowerCase();
  if (isMissingFile(text)) return missingFile(raw);
  if (text.includes('unauthorized access') || text.includes('forbidden access')) {
    return {
      kind: 'model-not-found',
      message: `The model host refused a model file (${raw}). The repository may be private or gated; pick another model or another Model host.`,
    };
  }
  if (text.includes('quota') || text.includes('no space left')) {
    return {
      kind: 'storage-full',
      message: `There is not enough browser storage for this model (${raw}). Delete a cached model or free disk space, then try again.`,
    };
  }
  if (
    text.includes('failed to fetch') || text.includes('networkerror') || text.includes('network error') ||
    text.includes('load failed') || /error \(\d{3}\) occurred|(timeout|gateway|service unavailable|internal server) error/.test(text)
  ) {
    return {
      kind: 'network',
      message: `The model could not be downloaded (${raw}). Check that this device is online and that the Model host is right, then try again.`,
    };
  }
  if (
    text.includes('protobuf') || text.includes('invalid model') || text.includes('corrupt') ||
    text.includes('failed to load model') || text.includes("can't create a session") || text.includes('unexpected end of json')
  ) {
    return {
      kind: 'corrupt-model',
      message: `A model file is damaged or incomplete (${raw}). Delete the model and download or import it again.`,
    };
  }
  if (text.includes('out of memory') || text.includes('array buffer allocation')) {
    return {
      kind: 'out-of-memory',
      message: `The device ran out of memory loading the model (${raw}). Close other tabs or pick a smaller model.`,
    };
  }
  return { kind: 'unknown', message: raw };
}

function isMissingFile(text: string): boolean {
  return text.includes('modelfilenotfound') || text.includes('could not locate file') || text.includes('was not found locally');
}

/** A missing `.onnx` file means the model lacks the weights for the dtype this device needs. */
function missingFile(raw: string): ClassifiedError {
  const file = /"([^"]+)"/.exec(raw)?.[1] ?? '';
  const name = file.split('/').slice(-2).join('/');
  const local = raw.includes('not found locally');
  if (name.endsWith('.onnx') || name.includes('.onnx_data')) {
    return {
      kind: 'model-not-found',
      message: local
        ? `The weights file ${name} is not on this device (${raw}). Download or import the model again, or choose another compute backend in Settings.`
        : `The model has no ${name} file, the weights this device needs (${raw}). Pick another model, or choose another compute backend in Settings.`,
    };
  }
  return {
    kind: 'model-not-found',
    message: local
      ? `A model file is missing from this device${name ? ` (${name})` : ''} (${raw}). Download or import the model again.`
      : `A model file is missing on the model host${name ? ` (${name})` : ''} (${raw}). Check the repo id and the Model host, or pick another model.`,
  };
}
