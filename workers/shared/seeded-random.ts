/**
 * Seeded pseudo-random numbers, the same on every machine: the model builder's weights, the
 * benchmarks' and tests' corpora, and the generation adapter (its initial projection and the
 * Cringe loss's sampled tokens, so a rating taken back retrains to exactly the adapter that never
 * saw it) all come out the same from the same seed.
 */

/** mulberry32: a tiny 32-bit generator of uniform numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One standard normal sample (Box–Muller; `1 - u` keeps the log's argument in (0, 1]). */
export function normalSample(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
