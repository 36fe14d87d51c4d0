/**
 * WebGPU in Node from the `webgpu` npm package (Dawn's dawn.node), loaded from the unpacked pack
 * at run time (it is a native addon: it cannot be bundled). Two things checked here make
 * onnxruntime-web's WebGPU EP work on it:
 * - dawn.node's GPUQueue.writeBuffer rejects views of a SharedArrayBuffer ("Invalid argument"),
 *   and the threaded onnxruntime-web build hands it views of its shared wasm memory: copy first.
 * - dawn.node settles its promises from Node's macrotask queue; onnxruntime-web with
 *   numThreads = 1 in Node starves that queue and every GPU promise hangs, so callers keep
 *   numThreads ≥ 2 (see gpu-bench.ts).
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

/** The adapter facts worth recording; every field as the adapter reports it. */
export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean | null;
  features: string[];
  limits: Record<string, number>;
}

interface GpuAdapterLike {
  info?: Record<string, unknown>;
  isFallbackAdapter?: boolean;
  features: Iterable<string>;
  limits: Record<string, number>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string; forceFallbackAdapter?: boolean }): Promise<GpuAdapterLike | null>;
}
interface WebGpuModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}
type WriteBuffer = (buffer: unknown, offset: number, data: unknown, dataOffset?: number, size?: number) => void;

const LIMITS = ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup'];

/** Loads dawn.node from `<runtime>/webgpu/index.js`, sets the WebGPU globals and navigator.gpu. */
export async function installWebGpu(runtimeDir: string, dawnFlags: string[] = []): Promise<GpuLike> {
  const url = pathToFileURL(join(runtimeDir, 'webgpu', 'index.js')).href;
  const webgpu = (await import(/* @vite-ignore */ url)) as WebGpuModule;
  Object.assign(globalThis, webgpu.globals);
  patchSharedWriteBuffer(webgpu.globals);
  const gpu = webgpu.create(dawnFlags);
  // Node 20 has no navigator; Node 21+ has one without gpu.
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else g.navigator = { gpu };
  return gpu;
}

function patchSharedWriteBuffer(globals: Record<string, unknown>): void {
  const queue = globals['GPUQueue'] as { prototype: { writeBuffer: WriteBuffer } } | undefined;
  if (!queue) return;
  const original = queue.prototype.writeBuffer;
  queue.prototype.writeBuffer = function (buffer, offset, data, dataOffset = 0, size) {
    if (ArrayBuffer.isView(data) && data.buffer instanceof SharedArrayBuffer) {
      const view = data as Uint8Array;
      const count = size ?? view.length - dataOffset;
      // slice() of a shared view returns a copy in a plain ArrayBuffer.
      return original.call(this, buffer, offset, view.slice(dataOffset, dataOffset + count), 0, count);
    }
    return original.call(this, buffer, offset, data, dataOffset, size);
  };
}

export async function describeAdapter(gpu: GpuLike): Promise<AdapterReport | null> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  // GPUAdapterInfo fields are prototype getters: read them one by one.
  const info = adapter.info ?? {};
  const text = (key: string) => (typeof info[key] === 'string' ? (info[key] as string) : '');
  const fallback = typeof info['isFallbackAdapter'] === 'boolean' ? (info['isFallbackAdapter'] as boolean) : adapter.isFallbackAdapter;
  return {
    vendor: text('vendor'),
    architecture: text('architecture'),
    device: text('device'),
    description: text('description'),
    isFallbackAdapter: fallback ?? null,
    features: [...adapter.features].sort(),
    limits: Object.fromEntries(LIMITS.map((name) => [name, Number(adapter.limits[name])])),
  };
}
