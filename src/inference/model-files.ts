import type { Dtype } from '../../workers/shared/protocol';

/**
 * The files transformers.js 4.3 reads to load a chat model (decoder-only, one `model` session),
 * so the app can size a download before it starts and check a folder before importing it.
 */

/** transformers.js' file-name suffix for each dtype the app can run. */
export const DTYPE_SUFFIX: Readonly<Record<Dtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  q4: '_q4',
  q4f16: '_q4f16',
};

export const ALL_DTYPES = Object.keys(DTYPE_SUFFIX) as Dtype[];

/** Needed by every chat model, whatever its dtype. */
export const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'] as const;
/** Read when present; a model without it still loads. */
export const OPTIONAL_FILES = ['generation_config.json'] as const;

export function weightsFile(dtype: Dtype): string {
  return `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
}

/** The dtype whose weights live in `path` (e.g. `onnx/model_q4.onnx` → q4), or null. */
export function dtypeOfWeightsFile(path: string): Dtype | null {
  const match = /^onnx\/model(_[a-z0-9]+)?\.onnx$/.exec(path);
  if (!match) return null;
  const suffix = match[1] ?? '';
  return ALL_DTYPES.find((dtype) => DTYPE_SUFFIX[dtype] === suffix) ?? null;
}

/**
 * Weights too big for one protobuf (over 2 GB) sit in `<file>_data`, `<file>_data_1`, …; the
 * model's config says how many chunks (`transformers.js_config.use_external_data_format`).
 */
export function externalDataFiles(dtype: Dtype, config: unknown): string[] {
  const name = `model${DTYPE_SUFFIX[dtype]}.onnx`;
  const setting = (config as { 'transformers.js_config'?: { use_external_data_format?: unknown } } | null)?.[
    'transformers.js_config'
  ]?.use_external_data_format;
  let chunks = 0;
  if (typeof setting === 'boolean' || typeof setting === 'number') chunks = Number(setting);
  else if (setting && typeof setting === 'object') {
    const perFile = setting as Record<string, unknown>;
    chunks = Number(perFile[name] ?? perFile.model ?? 0);
  }
  const count = Number.isInteger(chunks) && chunks > 0 ? Math.min(chunks, 100) : 0;
  return Array.from({ length: count }, (_, i) => `onnx/${name}_data${i === 0 ? '' : `_${i}`}`);
}

/** Weights-data files (`onnx/model….onnx_data`, `…_data_1`, …) and the weights file each belongs to. */
function dataFileOwner(path: string): string | null {
  const match = /^(onnx\/[^/]+\.onnx)_data(_\d+)?$/.exec(path);
  return match ? match[1]! : null;
}

/**
 * Dtypes that can load from `paths`: the weights file is there with every external-data chunk
 * the config names (a dtype whose `_data` is missing is not usable offline, whatever its
 * `.onnx`), and no `_data` file the config does not declare (see externalDataProblems).
 */
export function completeDtypes(paths: Iterable<string>, config: unknown): Dtype[] {
  const present = new Set(paths);
  return [...present].map(dtypeOfWeightsFile).filter((dtype): dtype is Dtype => {
    if (dtype === null) return false;
    const declared = externalDataFiles(dtype, config);
    const undeclared = [...present].some((file) => dataFileOwner(file) === weightsFile(dtype) && !declared.includes(file));
    return !undeclared && declared.every((file) => present.has(file));
  });
}

/**
 * Why weights in `paths` cannot load, one sentence each: external data the config names but the
 * folder lacks, or `_data` files the config never declares (transformers.js would never mount
 * them, and the load would fail with what reads as a damaged file).
 */
export function externalDataProblems(paths: Iterable<string>, config: unknown): string[] {
  const present = new Set(paths);
  const problems: string[] = [];
  for (const dtype of ALL_DTYPES) {
    const weights = weightsFile(dtype);
    if (!present.has(weights)) continue;
    const declared = externalDataFiles(dtype, config);
    const missing = declared.filter((file) => !present.has(file));
    if (missing.length > 0) problems.push(`${weights} keeps its weights in ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} missing.`);
    const undeclared = [...present].filter((file) => dataFileOwner(file) === weights && !declared.includes(file));
    if (undeclared.length > 0) {
      problems.push(
        `${undeclared.join(', ')} ${undeclared.length === 1 ? 'is' : 'are'} in the folder, but config.json does not say ${weights} uses external data, so ${undeclared.length === 1 ? 'it' : 'they'} would never be read: add "transformers.js_config": {"use_external_data_format": true} to config.json.`,
      );
    }
  }
  return problems;
}

/** Every file a load of `dtype` fetches, required ones first. */
export function filesForDtype(dtype: Dtype, config: unknown): string[] {
  return [...REQUIRED_FILES, ...OPTIONAL_FILES, weightsFile(dtype), ...externalDataFiles(dtype, config)];
}

/**
 * How many tokens of conversation to keep. Real models allow tens of thousands, but the KV
 * cache grows with every token, so the app keeps a window a phone can hold.
 */
export function contextWindowOf(config: unknown, cap = 4096): number {
  const max = Number((config as { max_position_embeddings?: unknown } | null)?.max_position_embeddings);
  return Number.isFinite(max) && max > 0 ? Math.min(max, cap) : 2048;
}
