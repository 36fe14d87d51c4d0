/**
 * Seeded user prompts for `npm run eval:learn`: short questions built from templates and topic
 * nouns. Training and held-out prompts draw their topics from disjoint halves of the noun list, so
 * no held-out prompt is a training prompt and the held-out contexts' features (a hashed bag of the
 * last user turn's tokens, `context-features.ts`) differ from every training context's.
 */
import { mulberry32 } from '../../workers/shared/seeded-random';

const TEMPLATES = [
  'Tell me about {a}.',
  'What do you know about {a} and {b}?',
  'Can you explain how {a} works?',
  'Write a few lines about {a}.',
  'Why do people like {a}?',
  'Give me some advice on {a} and {b}.',
  'What is the difference between {a} and {b}?',
  'How should I start with {a}?',
];

const NOUNS = (
  'rivers gardens weather travel dinner coffee mornings windows stories cities friends mountains ' +
  'paper winter bicycles music painting history oceans forests trains bread chess birds ' +
  'libraries tea rain islands cooking running photography castles deserts stars languages ' +
  'boats markets bridges clocks candles maps letters apples wolves lighthouses volcanoes'
).split(' ');

export type PromptSet = 'train' | 'held-out';

/** Nouns of one set: even positions for training, odd for held-out. */
function nouns(set: PromptSet): string[] {
  return NOUNS.filter((_, i) => (i % 2 === 0) === (set === 'train'));
}

/** `count` prompts of one set from `seed`; the same seed and set give the same prompts. */
export function prompts(seed: number, set: PromptSet, count: number): string[] {
  const rng = mulberry32((seed * 7919 + (set === 'train' ? 1 : 2)) >>> 0);
  const pool = nouns(set);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
  return Array.from({ length: count }, () => {
    const a = pick(pool);
    let b = pick(pool);
    while (b === a) b = pick(pool);
    return pick(TEMPLATES).replace('{a}', a).replace('{b}', b);
  });
}
