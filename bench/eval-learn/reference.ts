/**
 * The fixed liked replies `likedLogProbChange` is measured on: for each held-out prompt, the first
 * reply sampled for it at K = 0 (the single one, then the best-of-4 candidates) that the simulated
 * user would give a thumbs-up. When none was, and the preference has liked words, the first reply
 * that was not disliked, with a liked word inserted at a seeded position between its words
 * (marked synthetic): a random-weight model hardly ever says a liked word by itself.
 * Their log-probability is over their own tokens, with no end-of-turn token after them: they
 * were cut at the token limit, not ended by the model, and an adapter that learns to end every
 * reply at once would otherwise be credited for the one token it made likelier.
 */
import { judge, rate, type Preference } from './preference';

export interface LikedReply {
  prompt: string;
  reply: string;
  synthetic: boolean;
}

export function likedReference(
  preference: Preference,
  prompts: readonly string[],
  samples: readonly (readonly string[])[],
  rng: () => number,
): LikedReply[] {
  const out: LikedReply[] = [];
  prompts.forEach((prompt, j) => {
    const replies = samples[j] ?? [];
    const liked = replies.find((reply) => rate(preference, reply) === true);
    if (liked !== undefined) {
      out.push({ prompt, reply: liked, synthetic: false });
      return;
    }
    if (!preference.likeWords.length) return;
    const base = replies.find((reply) => judge(preference, reply) !== 'disliked');
    if (base === undefined) return;
    const words = base.split(' ');
    const word = preference.likeWords[Math.floor(rng() * preference.likeWords.length)]!;
    words.splice(Math.floor(rng() * (words.length + 1)), 0, word);
    const reply = words.join(' ');
    if (judge(preference, reply) === 'liked') out.push({ prompt, reply, synthetic: true });
  });
  return out;
}
