import type { Backend, BackendPreference, Dtype } from './protocol';

/** What the adapter says it is (GPUAdapterInfo); browsers may leave fields empty for privacy. */
export interface AdapterIdentity {
  vendor: string;
  architecture: string;
  device: string;
}

export interface WebGpuSupport {
  available: boolean;
  shaderF16: boolean;
  /** Why WebGPU is unavailable, in words a user can act on. */
  reason: string | null;
  /**
   * The adapter is a software one (Chromium's SwiftShader on a headless or GPU-less machine,
   * llvmpipe): about 100x slower than WebAssembly, so it counts as no GPU unless the user
   * chooses WebGPU in Settings.
   */
  software?: boolean;
  /** Which adapter: a backend measured faster on one GPU says nothing about another. */
  adapter?: AdapterIdentity;
}

export const SOFTWARE_ADAPTER_REASON =
  'The only WebGPU adapter here is a software one, far slower than the CPU. Using WebAssembly (CPU); choose WebGPU in Settings to use it anyway.';

/**
 * Whether models run on WebGPU: a real adapter unless WASM is chosen (in Settings, or with
 * 'auto' by `measured`, the backend measured faster for this model here); a software one only
 * when WebGPU is chosen.
 */
export function runsOnWebGpu(preference: BackendPreference, webgpu: WebGpuSupport, measured?: Backend): boolean {
  if (!webgpu.available || preference === 'wasm') return false;
  if (preference === 'webgpu') return true;
  return webgpu.software !== true && measured !== 'wasm';
}

export interface BackendChoice {
  backend: Backend;
  dtype: Dtype;
  /** Why this is not the fastest combination, or null when it is. */
  fallbackReason: string | null;
}

/** Asks the browser for a WebGPU adapter; never throws. */
export async function detectWebGpu(): Promise<WebGpuSupport> {
  const gpu = (globalThis.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) {
    return { available: false, shaderF16: false, reason: 'This browser does not offer WebGPU.' };
  }
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      return { available: false, shaderF16: false, reason: 'WebGPU is present but no GPU adapter was found.' };
    }
    return {
      available: true,
      shaderF16: adapter.features.has('shader-f16'),
      reason: null,
      software: isSoftwareAdapter(adapter),
      adapter: adapterIdentity(adapter),
    };
  } catch (error) {
    return { available: false, shaderF16: false, reason: `WebGPU adapter request failed: ${String(error)}` };
  }
}

function adapterIdentity(adapter: GPUAdapter): AdapterIdentity {
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo }).info;
  return { vendor: info?.vendor ?? '', architecture: info?.architecture ?? '', device: info?.device ?? '' };
}

/** What the adapter says of itself: `isFallbackAdapter` (on `info` in current Chromium, on the adapter before), or a known software rasteriser. */
function isSoftwareAdapter(adapter: GPUAdapter): boolean {
  const info = (adapter as GPUAdapter & { info?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).info;
  if (info?.isFallbackAdapter === true || (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true) return true;
  return /swiftshader|llvmpipe|lavapipe|softpipe|warp/i.test(`${info?.architecture ?? ''} ${info?.description ?? ''} ${info?.device ?? ''}`);
}

/**
 * WebGPU: q4f16 when the adapter has shader-f16, else q4 (then fp16/fp32 if the model lacks q4).
 * WASM: q8, because 4-bit MatMulNBits runs about 10x slower than q8 on wasm (DESIGN.md §3);
 * fp16 and q4f16 only when the model has nothing else. `measured`: see runsOnWebGpu; the UI
 * shows the measurement's figures itself, so a measured WASM choice adds no reason here.
 */
export function chooseBackend(preference: BackendPreference, webgpu: WebGpuSupport, available: Dtype[], measured?: Backend): BackendChoice {
  if (runsOnWebGpu(preference, webgpu, measured)) {
    return chooseWebGpuDtype(webgpu, available);
  }
  // fp16 and q4f16 run on WASM too (onnxruntime casts each op it lacks an fp16 kernel for to
  // fp32 and back), slowly: the last resort for a model that ships nothing else.
  const dtype = firstAvailable(['q8', 'fp32', 'q4', 'fp16', 'q4f16'], available);
  let fallbackReason: string | null = null;
  if (preference === 'wasm') fallbackReason = 'WebAssembly was chosen in settings.';
  else if (webgpu.available && webgpu.software === true) fallbackReason = SOFTWARE_ADAPTER_REASON;
  else if (webgpu.reason) fallbackReason = `${webgpu.reason} Using WebAssembly (CPU).`;
  if (dtype !== 'q8') fallbackReason = joinReasons(fallbackReason, `This model has no q8 file; using ${dtype}.`);
  return { backend: 'wasm', dtype, fallbackReason };
}

function chooseWebGpuDtype(webgpu: WebGpuSupport, available: Dtype[]): BackendChoice {
  if (webgpu.shaderF16 && available.includes('q4f16')) {
    return { backend: 'webgpu', dtype: 'q4f16', fallbackReason: null };
  }
  const order: Dtype[] = webgpu.shaderF16 ? ['q4', 'fp16', 'fp32', 'q8'] : ['q4', 'fp32', 'q8'];
  const dtype = firstAvailable(order, available);
  const reason = webgpu.shaderF16
    ? `This model has no q4f16 file; using ${dtype}.`
    : `The GPU adapter has no shader-f16 support; using ${dtype}.`;
  return { backend: 'webgpu', dtype, fallbackReason: reason };
}

function firstAvailable(order: Dtype[], available: Dtype[]): Dtype {
  const found = order.find((dtype) => available.includes(dtype));
  if (!found) throw new Error(`The model lists no usable dtype (has: ${available.join(', ') || 'none'}).`);
  return found;
}

function joinReasons(a: string | null, b: string): string {
  return a ? `${a} ${b}` : b;
}
