import type { Dtype } from '../../workers/shared/protocol';
import { ALL_DTYPES, contextWindowOf, externalDataFiles, filesForDtype, REQUIRED_FILES, weightsFile } from './model-files';

/** What the model host says about a repo, learned without downloading the weights. */
export interface HostedModel {
  /** Dtypes whose weights (all chunks) the host has. */
  dtypes: Dtype[];
  /** Size in bytes of each file the host has; files it lacks are absent. */
  sizes: Record<string, number>;
  contextWindow: number;
  config: unknown;
}

export class ProbeError extends Error {
  override name = 'ProbeError';
}

/** Bytes a load of `dtype` downloads (files the host lacks count as 0). */
export function downloadSize(model: Pick<HostedModel, 'sizes' | 'config'>, dtype: Dtype): number {
  return filesForDtype(dtype, model.config).reduce((sum, file) => sum + (model.sizes[file] ?? 0), 0);
}

/**
 * What a download of `dtype` weighs, as the model picker shows it: the host's exact figure once
 * the user has asked it ("Check size"), else the size the catalog publishes, else unknown.
 */
export function expectedDownload(
  published: Partial<Record<Dtype, number>> | undefined,
  hosted: Pick<HostedModel, 'sizes' | 'config'> | undefined,
  dtype: Dtype,
): { bytes: number | null; measured: boolean } {
  if (hosted) return { bytes: downloadSize(hosted, dtype), measured: true };
  return { bytes: published?.[dtype] ?? null, measured: false };
}

/** `bytes 0-0/12345` → 12345. */
export function totalFromContentRange(header: string | null): number | null {
  const match = /\/(\d+)\s*$/.exec(header ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Asks the host (only ever on the user's request) for the repo's config and the sizes of its
 * files: one small GET for config.json and a one-byte Range request per file, the way
 * transformers.js measures files itself. Throws a ProbeError whose message says what to do.
 */
export async function probeHostedModel(host: string, repo: string, fetchFn: typeof fetch = fetch): Promise<HostedModel> {
  const base = `${host}/${repo}/resolve/main/`;
  const configResponse = await request(fetchFn, base + 'config.json', host, {});
  if (configResponse.status === 404) {
    throw new ProbeError(`${host} has no model "${repo}" (config.json was not found). Check the repo id and the Model host.`);
  }
  if (!configResponse.ok) throw statusError(configResponse.status, 'config.json', host);
  let config: unknown;
  try {
    config = await configResponse.json();
  } catch {
    throw new ProbeError(`The config.json of "${repo}" on ${host} is not valid JSON; it is not a transformers.js model.`);
  }

  const sizes: Record<string, number> = {};
  const configBytes = Number(configResponse.headers.get('content-length'));
  if (configBytes > 0) sizes['config.json'] = configBytes;
  const candidates = new Set<string>([
    ...REQUIRED_FILES.filter((file) => file !== 'config.json'),
    'generation_config.json',
    ...ALL_DTYPES.flatMap((dtype) => [weightsFile(dtype), ...externalDataFiles(dtype, config)]),
  ]);
  await Promise.all(
    [...candidates].map(async (file) => {
      const size = await measure(fetchFn, base + file, host, file);
      if (size !== null) sizes[file] = size;
    }),
  );

  const missing = REQUIRED_FILES.filter((file) => file !== 'config.json' && sizes[file] === undefined);
  if (missing.length > 0) {
    throw new ProbeError(
      `"${repo}" on ${host} has no ${missing.join(' or ')}, so it cannot be loaded here. Pick a repo in transformers.js layout (config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx).`,
    );
  }
  const dtypes = ALL_DTYPES.filter((dtype) =>
    [weightsFile(dtype), ...externalDataFiles(dtype, config)].every((file) => sizes[file] !== undefined),
  );
  if (dtypes.length === 0) {
    throw new ProbeError(`"${repo}" on ${host} has no ONNX weights in onnx/. Pick a repo converted for transformers.js (often under onnx-community/).`);
  }
  return { dtypes, sizes, contextWindow: contextWindowOf(config), config };
}

async function measure(fetchFn: typeof fetch, url: string, host: string, file: string): Promise<number | null> {
  const response = await request(fetchFn, url, host, { headers: { Range: 'bytes=0-0' } });
  // 416: a zero-byte file answers a one-byte range this way.
  if (response.status === 404 || response.status === 416) return null;
  if (!response.ok) throw statusError(response.status, file, host);
  const size =
    response.status === 206
      ? totalFromContentRange(response.headers.get('content-range'))
      : Number(response.headers.get('content-length')) || null;
  // A host that ignores Range sends the whole file: stop reading it.
  await response.body?.cancel().catch(() => undefined);
  return size ?? 0;
}

async function request(fetchFn: typeof fetch, url: string, host: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, cache: 'no-store', credentials: 'omit' });
  } catch (error) {
    throw new ProbeError(
      `Could not reach ${host} (${error instanceof Error ? error.message : String(error)}). Check that this device is online and that the Model host is right.`,
    );
  }
}

function statusError(status: number, file: string, host: string): ProbeError {
  const hint =
    status === 401 || status === 403
      ? 'The repository may be private or gated; pick another model.'
      : 'Try again later, or pick another Model host.';
  return new ProbeError(`${host} answered ${status} for ${file}. ${hint}`);
}
