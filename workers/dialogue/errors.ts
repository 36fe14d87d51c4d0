import type { ErrorKind } from '../protocol';

export interface ClassifiedError {
  kind: ErrorKind;
  message: string;
}

/** Turns whatever transformers.js / onnxruntime threw into a kind and a message a user can act on. */
export function classifyError(error: unknown): ClassifiedError {
  const raw = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const text = raw.toLowerCase();
  if (text.includes('modelfilenotfound') || text.includes('could not locate file') || text.includes('404')) {
    return { kind: 'model-not-found', message: `A model file is missing (${raw}). Pick another model or re-import it.` };
  }
  if (text.includes('failed to fetch') || text.includes('networkerror') || text.includes('network error')) {
    return { kind: 'network', message: `The model could not be downloaded (${raw}). Check the connection and try again.` };
  }
  if (text.includes('protobuf') || text.includes('invalid model') || text.includes('corrupt') || text.includes('failed to load model')) {
    return { kind: 'corrupt-model', message: `The model file is damaged or incomplete (${raw}). Delete it and download it again.` };
  }
  if (text.includes('out of memory') || text.includes('array buffer allocation') || text.includes('quota')) {
    return { kind: 'out-of-memory', message: `The device ran out of memory or storage (${raw}). Try a smaller model or free some space.` };
  }
  return { kind: 'unknown', message: raw };
}
