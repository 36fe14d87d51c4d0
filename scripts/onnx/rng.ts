/**
 * Seeded pseudo-random numbers for the model builder: the same seed gives the same
 * weights on every machine, so built models (and their test expectations) are reproducible.
 */

// The generator itself is shared with the app's workers (the generation adapter uses it too).
import { mulberry32 } from '../../workers/shared/seeded-random';

export { mulberry32 };

/** Derives an independent seed for a named tensor, so adding a tensor never shifts the others. */
export function seedFor(seed: number, name: string): number {
  // FNV-1a over the name, mixed with the base seed.
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const POOL_BITS = 16;
const POOL_SEED = 0x5eed1234;
let pool: Float32Array | undefined;

/**
 * 2^16 standard-normal samples (Box-Muller over mulberry32), made once. Weights are drawn
 * from this pool by random index and sign: i.i.d. draws from a 131k-point empirical normal,
 * plenty for initialisation and cheaper than Box-Muller per value (the 135M-parameter
 * benchmark preset must build in seconds).
 */
function normalPool(): Float32Array {
  if (!pool) {
    const next = mulberry32(POOL_SEED);
    const n = 1 << POOL_BITS;
    pool = new Float32Array(n);
    for (let i = 0; i < n; i += 2) {
      // 1 - u keeps the log argument in (0, 1].
      const r = Math.sqrt(-2 * Math.log(1 - next()));
      const theta = 2 * Math.PI * next();
      pool[i] = r * Math.cos(theta);
      pool[i + 1] = r * Math.sin(theta);
    }
  }
  return pool;
}

/** A new Float32Array of `count` normal samples with the given std. */
export function randomNormal(count: number, std: number, seed: number): Float32Array {
  const samples = normalPool();
  const mask = (1 << POOL_BITS) - 1;
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    // mulberry32, inlined: this loop runs ~135M times for the benchmark preset.
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    t = (t ^ (t >>> 14)) >>> 0;
    const v = samples[t & mask]! * std;
    out[i] = t & (1 << POOL_BITS) ? -v : v;
  }
  return out;
}

/** Named-tensor convenience: `normal('layers.0.q', n, 0.02)` under one base seed. */
export class WeightRng {
  constructor(readonly seed: number) {}

  normal(name: string, count: number, std: number): Float32Array {
    return randomNormal(count, std, seedFor(this.seed, name));
  }
}
