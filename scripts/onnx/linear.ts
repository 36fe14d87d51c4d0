/**
 * Emits `y = x · W (+ b)` into a graph in one of four weight precisions. The same float
 * weights feed all of them, so the fp32, q8, q4 and q4f16 files of a model differ only by rounding.
 * q4f16 is the Hub's WebGPU export: 4-bit MatMulNBits with fp16 scales over fp16 activations.
 */
import { toFloat16Array } from './float16.ts';
import { GraphBuilder } from './proto.ts';
import { quantizeQ4, quantizeQ4OutIn, quantizeQ8, transpose, type Q4Weight, type Q8Weight } from './quantize.ts';

export type WeightPrecision = 'fp32' | 'q8' | 'q4' | 'q4f16';

/** The float type activations (and float weights) have in a graph of this precision. */
export function activationType(precision: WeightPrecision): 'float32' | 'float16' {
  return precision === 'q4f16' ? 'float16' : 'float32';
}

/** A float initializer in the graph's activation type. */
export function floatInitializer(g: GraphBuilder, precision: WeightPrecision, name: string, dims: number[], data: Float32Array): string {
  return precision === 'q4f16' ? g.initializer(name, 'float16', dims, toFloat16Array(data)) : g.initializer(name, 'float32', dims, data);
}

export interface EmbeddingLookup {
  output: string;
  /** The stored table: float [rows, cols], or uint8 when `q8` is set. */
  weight: string;
  q8?: Q8Weight;
}

export class LinearEmitter {
  /** DynamicQuantizeLinear outputs per activation, shared by the matmuls that read it. */
  private readonly quantizedInputs = new Map<string, [string, string, string]>();

  constructor(
    readonly g: GraphBuilder,
    readonly precision: WeightPrecision,
    private readonly options: { quantizeEachMatmul?: boolean } = {},
  ) {}

  /**
   * Row lookup `table[ids]` for a [rows, cols] table. q8 stores the table as uint8 and
   * dequantises the gathered rows; q4 keeps lookups in fp32 like common q4 exports, q4f16 in fp16.
   */
  embedding(ids: string, name: string, table: Float32Array, rows: number, cols: number): EmbeddingLookup {
    const g = this.g;
    if (this.precision !== 'q8') {
      const weight = floatInitializer(g, this.precision, `${name}.weight`, [rows, cols], table);
      return { output: g.op('Gather', [weight, ids], { axis: 0 }), weight };
    }
    const q = quantizeQ8(table);
    const weight = g.initializer(`${name}.weight_quantized`, 'uint8', [rows, cols], q.data);
    const gathered = g.op('Cast', [g.op('Gather', [weight, ids], { axis: 0 })], { to: 1 });
    const output = g.op('Mul', [g.op('Sub', [gathered, g.constFloat([q.zeroPoint])]), g.constFloat([q.scale])]);
    return { output, weight, q8: q };
  }

  /** `w` is [K, N] row-major (in features × out features). */
  linear(x: string, name: string, w: Float32Array, K: number, N: number, bias?: Float32Array): string {
    const y = this.matmul(x, name, w, K, N);
    if (!bias) return y;
    return this.g.op('Add', [y, floatInitializer(this.g, this.precision, `${name}.bias`, [N], bias)]);
  }

  /** `y = x · Wᵀ` for a [N, K] weight (e.g. a tied embedding table used as output head). */
  linearOutIn(x: string, name: string, wt: Float32Array, K: number, N: number): string {
    if (this.precision === 'q4' || this.precision === 'q4f16') return this.matmulNBits(x, name, quantizeQ4OutIn(wt, K, N, 32));
    return this.matmul(x, name, transpose(wt, N, K), K, N);
  }

  private matmulNBits(x: string, name: string, q: Q4Weight): string {
    const g = this.g;
    const kBlocks = q.K / q.blockSize;
    const B = g.initializer(`${name}.weight_Q4`, 'uint8', [q.N, kBlocks, q.blockSize / 2], q.packed);
    // The scales have the activations' type: MatMulNBits' T1 covers both.
    const scales = floatInitializer(g, this.precision, `${name}.weight_scales`, [q.N * kBlocks], q.scales);
    const zeros = g.initializer(`${name}.weight_zero_points`, 'uint8', [q.zeroPoints.length], q.zeroPoints);
    return g.op(
      'MatMulNBits',
      [x, B, scales, zeros],
      { K: q.K, N: q.N, bits: 4, block_size: q.blockSize },
      { domain: 'com.microsoft' },
    );
  }

  private matmul(x: string, name: string, w: Float32Array, K: number, N: number): string {
    const g = this.g;
    switch (this.precision) {
      case 'fp32':
        return g.op('MatMul', [x, g.initializer(`${name}.weight`, 'float32', [K, N], w)]);
      case 'q8': {
        const q = quantizeQ8(w);
        const wq = g.initializer(`${name}.weight_quantized`, 'uint8', [K, N], q.data);
        const wZero = g.initializer(`${name}.weight_zero_point`, 'uint8', [], Uint8Array.of(q.zeroPoint));
        const wScale = g.initializer(`${name}.weight_scale`, 'float32', [], Float32Array.of(q.scale));
        const [xq, xScale, xZero] = this.quantizeInput(x);
        const acc = g.op('MatMulInteger', [xq, wq, xZero, wZero]);
        const accF = g.op('Cast', [acc], { to: 1 });
        return g.op('Mul', [accF, g.op('Mul', [xScale, wScale])]);
      }
      case 'q4':
      case 'q4f16':
        return this.matmulNBits(x, name, quantizeQ4(w, K, N, 32));
    }
  }

  private quantizeInput(x: string): [string, string, string] {
    let hit = this.options.quantizeEachMatmul ? undefined : this.quantizedInputs.get(x);
    if (!hit) {
      const [q, scale, zero] = this.g.node('DynamicQuantizeLinear', [x], {}, { outputs: 3 });
      hit = [q!, scale!, zero!];
      this.quantizedInputs.set(x, hit);
    }
    return hit;
  }
}
