/**
 * A GGUF (version 3) file writer: the container llama.cpp and wllama load. Little-endian
 * throughout: header, key/value metadata, tensor infos, padding to the alignment, then each
 * tensor's bytes at an aligned offset. Only what the model builder writes is supported.
 * Format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** GGUF metadata value types (gguf.md, `gguf_metadata_value_type`). */
const VALUE_TYPE = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9, uint64: 10 } as const;

/** ggml tensor types the builder writes (ggml.h, `ggml_type`). */
export const GGML_TYPE = { F32: 0, F16: 1, Q8_0: 8 } as const;
export type GgmlType = (typeof GGML_TYPE)[keyof typeof GGML_TYPE];

export const GGUF_ALIGNMENT = 32;

export type GgufValue =
  | { type: 'uint32' | 'int32' | 'float32' | 'uint64'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; of: 'string'; value: string[] }
  | { type: 'array'; of: 'float32' | 'int32'; value: ArrayLike<number> };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the length of a row (the innermost, contiguous axis). */
  dims: number[];
  type: GgmlType;
  data: Uint8Array;
}

/** Growable little-endian byte sink for the header part of the file. */
class ByteSink {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    const bigger = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + n));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }

  u32(v: number): void {
    this.reserve(4);
    this.length = this.buffer.writeUInt32LE(v, this.length);
  }

  i32(v: number): void {
    this.reserve(4);
    this.length = this.buffer.writeInt32LE(v, this.length);
  }

  f32(v: number): void {
    this.reserve(4);
    this.length = this.buffer.writeFloatLE(v, this.length);
  }

  u64(v: number): void {
    this.reserve(8);
    this.length = this.buffer.writeBigUInt64LE(BigInt(v), this.length);
  }

  u8(v: number): void {
    this.reserve(1);
    this.length = this.buffer.writeUInt8(v, this.length);
  }

  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }

  padTo(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }

  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  if (v.type === 'array') {
    sink.u32(VALUE_TYPE.array);
    sink.u32(VALUE_TYPE[v.of]);
    sink.u64(v.value.length);
    if (v.of === 'string') for (const s of v.value as string[]) sink.string(s);
    else for (let i = 0; i < v.value.length; i++) (v.of === 'float32' ? sink.f32(v.value[i]!) : sink.i32(v.value[i]!));
    return;
  }
  sink.u32(VALUE_TYPE[v.type]);
  switch (v.type) {
    case 'uint32': return sink.u32(v.value);
    case 'int32': return sink.i32(v.value);
    case 'float32': return sink.f32(v.value);
    case 'uint64': return sink.u64(v.value);
    case 'bool': return sink.u8(v.value ? 1 : 0);
    case 'string': return sink.string(v.value);
  }
}

const padding = (n: number) => (GGUF_ALIGNMENT - (n % GGUF_ALIGNMENT)) % GGUF_ALIGNMENT;

/** Writes a GGUF file; returns its size in bytes. Tensor data is streamed, never concatenated. */
export function writeGguf(path: string, metadata: Record<string, GgufValue>, tensors: GgufTensor[]): number {
  const head = new ByteSink();
  head.u32(0x46554747); // "GGUF"
  head.u32(3);
  head.u64(tensors.length);
  head.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    head.string(key);
    writeValue(head, value);
  }
  let offset = 0;
  for (const t of tensors) {
    head.string(t.name);
    head.u32(t.dims.length);
    for (const d of t.dims) head.u64(d);
    head.u32(t.type);
    head.u64(offset);
    offset += t.data.length + padding(t.data.length);
  }
  head.padTo(GGUF_ALIGNMENT);

  const fd = openSync(path, 'w');
  try {
    let size = writeSync(fd, head.bytes());
    const zeros = new Uint8Array(GGUF_ALIGNMENT);
    for (const t of tensors) {
      size += writeSync(fd, t.data);
      size += writeSync(fd, zeros, 0, padding(t.data.length));
    }
    return size;
  } finally {
    closeSync(fd);
  }
}
