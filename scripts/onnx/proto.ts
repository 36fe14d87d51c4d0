/**
 * A small graph builder over the ONNX protobuf definitions from `onnx-proto`.
 * Nodes are added in topological order by construction (each op's inputs exist already).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { toFloat16Array } from './float16.ts';

const { onnx } = onnxProto;

export type ElemType = 'float32' | 'float16' | 'uint8' | 'int32' | 'int64' | 'bool';
export type Dim = number | string;
/** float16 data is the bit patterns, in a Uint16Array (see float16.ts). */
export type TensorArray = Float32Array | Uint16Array | Uint8Array | Int32Array | BigInt64Array;

const ELEM_TYPE: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  uint8: onnx.TensorProto.DataType.UINT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

/** Float attribute (a bare number is taken as an int attribute). */
export interface FloatAttr {
  f: number;
}
export type AttrValue = number | number[] | string | FloatAttr;

export function f(value: number): FloatAttr {
  return { f: value };
}

export interface NodeOptions {
  domain?: string;
  /** Number of outputs (default 1). */
  outputs?: number;
  /** Explicit output names, e.g. a graph output. */
  outputNames?: string[];
}

export interface OpsetImport {
  domain: string;
  version: number;
}

function toBytes(data: TensorArray): Uint8Array {
  // ONNX raw_data is little-endian; so are the machines this runs on.
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEM_TYPE[type],
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}

export class GraphBuilder {
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  /** Tensor headers (no data) and their raw bytes, kept apart so encoding never copies weights. */
  private readonly initializers: { header: OnnxTypes.ITensorProto; raw: Uint8Array }[] = [];
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly constCache = new Map<string, string>();
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  /** A fresh value name derived from `hint`. */
  fresh(hint: string): string {
    let name = `${hint}_${this.counter++}`;
    while (this.used.has(name)) name = `${hint}_${this.counter++}`;
    return name;
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.used.add(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElemType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  initializer(name: string, type: ElemType, dims: number[], data: TensorArray): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (data.length !== expected) {
      throw new Error(`initializer ${name}: ${data.length} values for dims [${dims.join(', ')}]`);
    }
    if (this.used.has(name)) throw new Error(`duplicate value name ${name}`);
    this.used.add(name);
    this.initializers.push({ header: { name, dataType: ELEM_TYPE[type], dims }, raw: toBytes(data) });
    return name;
  }

  /** A small float constant (float32 unless `type` says float16), shared between identical uses. */
  constFloat(values: number[], dims: number[] = values.length === 1 ? [] : [values.length], type: 'float32' | 'float16' = 'float32'): string {
    return this.constant(type, values, dims);
  }

  /** A small int64 constant (shapes, axes, indices), shared between identical uses. */
  constInt64(values: number[], dims: number[] = [values.length]): string {
    return this.constant('int64', values, dims);
  }

  private constant(type: 'float32' | 'float16' | 'int64', values: number[], dims: number[]): string {
    const key = `${type}|${dims.join('x')}|${values.join(',')}`;
    const hit = this.constCache.get(key);
    if (hit) return hit;
    const data =
      type === 'float32'
        ? Float32Array.from(values)
        : type === 'float16'
          ? toFloat16Array(values)
          : BigInt64Array.from(values.map((v) => BigInt(v)));
    const name = this.initializer(this.fresh(`const_${type}`), type, dims, data);
    this.constCache.set(key, name);
    return name;
  }

  /** Adds a node; returns its output names. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, options: NodeOptions = {}): string[] {
    const outputs =
      options.outputNames ??
      Array.from({ length: options.outputs ?? 1 }, () => this.fresh(opType.toLowerCase()));
    for (const o of outputs) {
      if (this.used.has(o)) throw new Error(`duplicate value name ${o}`);
      this.used.add(o);
    }
    const attribute: OnnxTypes.IAttributeProto[] = Object.entries(attrs).map(([name, value]) => {
      const A = onnx.AttributeProto.AttributeType;
      if (typeof value === 'number') return { name, type: A.INT, i: value };
      if (typeof value === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(value) };
      if (Array.isArray(value)) return { name, type: A.INTS, ints: value };
      return { name, type: A.FLOAT, f: value.f };
    });
    this.nodes.push({
      name: `${opType}_${this.nodes.length}`,
      opType,
      domain: options.domain ?? '',
      input: inputs,
      output: outputs,
      attribute,
    });
    return outputs;
  }

  /** Adds a single-output node and returns its output name. */
  op(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, options: NodeOptions = {}): string {
    const [out] = this.node(opType, inputs, attrs, options);
    if (out === undefined) throw new Error(`${opType} has no output`);
    return out;
  }

  /**
   * Serialises the model as chunks. protobufjs encodes everything but the initializers'
   * raw_data; those are framed by hand (field keys + lengths) and the weight arrays are
   * referenced, not copied. IR version 8 goes with opset 17.
   */
  encode(opsets: OpsetImport[], docString = ''): EncodedModel {
    const initChunks: Uint8Array[] = [];
    let initBytes = 0;
    for (const { header, raw } of this.initializers) {
      const frame = inlineInitializer(header, raw);
      initChunks.push(...frame);
      initBytes += frame[0]!.byteLength + raw.byteLength;
    }
    return this.assemble(opsets, docString, initChunks, initBytes);
  }

  /** See encodeWithExternalData. */
  encodeSplit(opsets: OpsetImport[], docString: string, dataFile: string): { model: EncodedModel; data: EncodedModel } {
    const initChunks: Uint8Array[] = [];
    const dataChunks: Uint8Array[] = [];
    let initBytes = 0;
    let offset = 0;
    for (const { header, raw } of this.initializers) {
      if (raw.byteLength < EXTERNAL_DATA_MIN_BYTES) {
        const frame = inlineInitializer(header, raw);
        initChunks.push(...frame);
        initBytes += frame[0]!.byteLength + raw.byteLength;
        continue;
      }
      const head = onnx.TensorProto.encode({
        ...header,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: dataFile },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(raw.byteLength) },
        ],
      }).finish();
      const frame = concatBytes([fieldKey(GRAPH_INITIALIZER, head.byteLength), head]);
      initChunks.push(frame);
      initBytes += frame.byteLength;
      dataChunks.push(raw);
      offset += raw.byteLength;
    }
    return { model: this.assemble(opsets, docString, initChunks, initBytes), data: new EncodedModel(dataChunks) };
  }

  private assemble(opsets: OpsetImport[], docString: string, initChunks: Uint8Array[], initBytes: number): EncodedModel {
    const graphHead = onnx.GraphProto.encode({
      name: this.name,
      node: this.nodes,
      input: this.inputs,
      output: this.outputs,
    }).finish();
    const modelHead = onnx.ModelProto.encode({
      irVersion: 8,
      producerName: 'feedback-chat build-models',
      producerVersion: '1',
      docString,
      opsetImport: opsets,
    }).finish();
    return new EncodedModel([
      modelHead,
      fieldKey(MODEL_GRAPH, graphHead.byteLength + initBytes),
      graphHead,
      ...initChunks,
    ]);
  }
}

/**
 * The same model with its initializers in a separate file, as large Hub exports ship
 * (`model.onnx` + `model.onnx_data`): each TensorProto says where its bytes are
 * (data_location EXTERNAL, external_data location/offset/length) and carries none itself.
 */
export function encodeWithExternalData(builder: GraphBuilder, opsets: OpsetImport[], docString: string, dataFile: string): { model: EncodedModel; data: EncodedModel } {
  return builder.encodeSplit(opsets, docString, dataFile);
}

/**
 * Initializers smaller than this stay in the .onnx even with external data, as in real exports:
 * shape inference must read constant shapes and axes while the model loads.
 */
const EXTERNAL_DATA_MIN_BYTES = 1024;

/** An initializer framed with its bytes inline: [frame with header and key, the raw bytes]. */
function inlineInitializer(header: OnnxTypes.ITensorProto, raw: Uint8Array): [Uint8Array, Uint8Array] {
  const head = onnx.TensorProto.encode(header).finish();
  const rawKey = fieldKey(TENSOR_RAW_DATA, raw.byteLength);
  const tensorLength = head.byteLength + rawKey.byteLength + raw.byteLength;
  return [concatBytes([fieldKey(GRAPH_INITIALIZER, tensorLength), head, rawKey]), raw];
}

/** Field numbers from onnx.proto, for the hand-framed parts. */
const MODEL_GRAPH = 7;
const GRAPH_INITIALIZER = 5;
const TENSOR_RAW_DATA = 9;

/** Key and length prefix of a length-delimited field (wire type 2). */
function fieldKey(field: number, length: number): Uint8Array {
  const bytes = [(field << 3) | 2];
  let n = length;
  while (n >= 0x80) {
    bytes.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  bytes.push(n);
  return Uint8Array.from(bytes);
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.byteLength;
  }
  return out;
}

/** A serialised ModelProto as a list of byte chunks (concatenated, they are the file). */
export class EncodedModel {
  readonly byteLength: number;

  constructor(readonly chunks: Uint8Array[]) {
    this.byteLength = chunks.reduce((a, c) => a + c.byteLength, 0);
  }

  toBytes(): Uint8Array {
    return concatBytes(this.chunks);
  }

  writeFile(path: string): void {
    const fd = openSync(path, 'w');
    try {
      for (const chunk of this.chunks) {
        let offset = 0;
        while (offset < chunk.byteLength) offset += writeSync(fd, chunk, offset, chunk.byteLength - offset);
      }
    } finally {
      closeSync(fd);
    }
  }
}

export const OPSETS_STANDARD: OpsetImport[] = [{ domain: '', version: 17 }];
export const OPSETS_WITH_MS: OpsetImport[] = [
  { domain: '', version: 17 },
  { domain: 'com.microsoft', version: 1 },
];
