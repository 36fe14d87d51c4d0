/**
 * Weight quantisation in the layouts onnxruntime expects:
 * - q8: one uint8 scale/zero point per tensor, for MatMulInteger (weights [K, N]).
 * - q4: com.microsoft MatMulNBits, 4 bits, blocks of `blockSize` along K, per output column,
 *   asymmetric with packed 4-bit zero points.
 * Loops are written for speed: the benchmark preset quantises ~135M weights per build.
 */

export interface Q8Weight {
  data: Uint8Array; // same layout as the float weight
  scale: number;
  zeroPoint: number;
}

/** Per-tensor asymmetric uint8. The range always includes 0 so that 0 is exact. */
export function quantizeQ8(w: Float32Array): Q8Weight {
  let min = 0;
  let max = 0;
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    if (v < min) min = v;
    else if (v > max) max = v;
  }
  const scale = Math.fround(max > min ? (max - min) / 255 : 1);
  const zeroPoint = Math.min(255, Math.max(0, Math.round(-min / scale)));
  const data = new Uint8Array(w.length);
  const inv = 1 / scale;
  const offset = zeroPoint + 0.5; // floor(v + 0.5) = round half up, as Math.round
  for (let i = 0; i < w.length; i++) {
    const q = Math.floor(w[i]! * inv + offset);
    data[i] = q < 0 ? 0 : q > 255 ? 255 : q;
  }
  return { data, scale, zeroPoint };
}

export function dequantizeQ8(q: Q8Weight): Float32Array {
  const out = new Float32Array(q.data.length);
  for (let i = 0; i < out.length; i++) out[i] = (q.data[i]! - q.zeroPoint) * q.scale;
  return out;
}

export interface Q4Weight {
  K: number;
  N: number;
  blockSize: number;
  /** [N, kBlocks, blockSize / 2]; element 2j of a block in the low nibble of byte j. */
  packed: Uint8Array;
  /** [N * kBlocks] */
  scales: Float32Array;
  /** [N * ceil(kBlocks / 2)]; block 2j's zero point in the low nibble of byte j. */
  zeroPoints: Uint8Array;
}

/** Quantises a [K, N] row-major weight (y = x · W) to MatMulNBits layout. */
export function quantizeQ4(w: Float32Array, K: number, N: number, blockSize = 32): Q4Weight {
  if (w.length !== K * N) throw new Error(`weight has ${w.length} values, expected ${K}x${N}`);
  return quantizeQ4OutIn(transpose(w, K, N), K, N, blockSize);
}

/** Same, from the [N, K] ("out features × in features") layout, which MatMulNBits blocks follow. */
export function quantizeQ4OutIn(wt: Float32Array, K: number, N: number, blockSize = 32): Q4Weight {
  if (K % blockSize !== 0 || blockSize % 2 !== 0) throw new Error(`K=${K} is not a multiple of block size ${blockSize}`);
  if (wt.length !== K * N) throw new Error(`weight has ${wt.length} values, expected ${N}x${K}`);
  const kBlocks = K / blockSize;
  const half = blockSize / 2;
  const zpStride = Math.ceil(kBlocks / 2);
  const packed = new Uint8Array(N * kBlocks * half);
  const scales = new Float32Array(N * kBlocks);
  const zeroPoints = new Uint8Array(N * zpStride);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const start = n * K + b * blockSize; // block b of row n, contiguous
      let min = 0;
      let max = 0;
      for (let j = 0; j < blockSize; j++) {
        const v = wt[start + j]!;
        if (v < min) min = v;
        else if (v > max) max = v;
      }
      const scale = Math.fround(max > min ? (max - min) / 15 : 1);
      const zp = Math.min(15, Math.max(0, Math.round(-min / scale)));
      scales[n * kBlocks + b] = scale;
      const zpByte = n * zpStride + (b >> 1);
      zeroPoints[zpByte] = zeroPoints[zpByte]! | (b & 1 ? zp << 4 : zp);
      const inv = 1 / scale;
      const offset = zp + 0.5;
      const base = (n * kBlocks + b) * half;
      for (let j = 0; j < blockSize; j += 2) {
        let lo = Math.floor(wt[start + j]! * inv + offset);
        let hi = Math.floor(wt[start + j + 1]! * inv + offset);
        lo = lo < 0 ? 0 : lo > 15 ? 15 : lo;
        hi = hi < 0 ? 0 : hi > 15 ? 15 : hi;
        packed[base + (j >> 1)] = lo | (hi << 4);
      }
    }
  }
  return { K, N, blockSize, packed, scales, zeroPoints };
}

/** Back to a [K, N] float weight, as onnxruntime's MatMulNBits sees it. */
export function dequantizeQ4(q: Q4Weight): Float32Array {
  const { K, N, blockSize } = q;
  const kBlocks = K / blockSize;
  const half = blockSize / 2;
  const zpStride = Math.ceil(kBlocks / 2);
  const out = new Float32Array(K * N);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const scale = q.scales[n * kBlocks + b]!;
      const zpByte = q.zeroPoints[n * zpStride + (b >> 1)]!;
      const zp = b & 1 ? zpByte >> 4 : zpByte & 15;
      for (let j = 0; j < blockSize; j++) {
        const byte = q.packed[(n * kBlocks + b) * half + (j >> 1)]!;
        const v = j & 1 ? byte >> 4 : byte & 15;
        out[(b * blockSize + j) * N + n] = (v - zp) * scale;
      }
    }
  }
  return out;
}

/** [R, C] row-major → [C, R] row-major, in tiles to stay cache-friendly. */
export function transpose(w: Float32Array, R: number, C: number): Float32Array {
  const out = new Float32Array(R * C);
  const T = 32;
  for (let r0 = 0; r0 < R; r0 += T) {
    const r1 = Math.min(R, r0 + T);
    for (let c0 = 0; c0 < C; c0 += T) {
      const c1 = Math.min(C, c0 + T);
      for (let r = r0; r < r1; r++) {
        for (let c = c0; c < c1; c++) out[c * R + r] = w[r * C + c]!;
      }
    }
  }
  return out;
}
