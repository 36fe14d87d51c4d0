/**
 * Keeps a reference to every WebAssembly.Memory this worker creates, so the dialogue worker (and
 * the benchmarks) can report the WASM heap of onnxruntime-web, which does not export its Memory. Its Emscripten glue creates the
 * heap itself (`new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true })`, 4 GiB at
 * most) when the first session loads, so a constructor swapped in before that sees it.
 *
 * A Memory never shrinks: its byteLength at any moment is the most the heap has ever held.
 * Importing this module installs the probe: import it before anything that may load ORT.
 */
const memories: WebAssembly.Memory[] = [];

function installWasmMemoryProbe(): void {
  const Original = WebAssembly.Memory;
  // A Proxy, not a subclass: the object ORT gets is a plain Memory, `instanceof` and the
  // prototype unchanged; the trap only remembers it.
  const probe = new Proxy(Original, {
    construct(target, args: [WebAssembly.MemoryDescriptor], newTarget) {
      const memory = Reflect.construct(target, args, newTarget) as WebAssembly.Memory;
      memories.push(memory);
      return memory;
    },
  });
  WebAssembly.Memory = probe;
}

installWasmMemoryProbe();

/**
 * Bytes of the largest Memory seen (0 before any): ORT's heap. The glue also creates an empty
 * shared Memory only to find the SharedArrayBuffer constructor; taking the largest skips it.
 */
export function wasmHeapBytes(): number {
  return memories.reduce((largest, memory) => Math.max(largest, memory.buffer.byteLength), 0);
}
