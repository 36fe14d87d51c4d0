/**
 * A simulated donor population for the community loop (issue 21), used by `npm run
 * eval:community` and the collector's community tests; never by the app or the collector.
 *
 * Honest donors like replies that mention 'music' (5% of their ratings slip). Adversarial ones,
 * as BB3x found about 30% of organic users to be, rate at random or against that preference,
 * write a share of toxic turns (the demo safety classifier's trigger word) and may paste one turn
 * over and over. Bundles are valid donations (the shared schema and semantic checks pass).
 */
import type { BundleConversation, BundleMessage, DonationBundle } from '../../src/donation/bundle-types';
import { makeBundle } from '../../tests/collector/support/bundles';
import { seededRng } from '../../tests/collector/support/rng';
import { TOPIC } from '../simulated-user';

/** The demo safety classifier flags text containing this word (scripts/onnx/configs.ts). */
export const TOXIC_WORD = 'kaboom';
const HONEST_SLIP = 0.05;

const WORDS = (
  'the a of and to in is it that for on with as was at by this from they we you be have are not or one all there what ' +
  'about which when your can said each she do how their if will up other out many then them these so some her would make ' +
  'like him into time has look two more write go see number no way could people my than first water been call who its now'
).split(' ');

export type Rater = 'honest' | 'random' | 'against';

export interface SimulatedDonor {
  id: string;
  rater: Rater;
  /** Share of the donor's turns that carry the toxic word. */
  toxicShare: number;
  /** Every turn is the same pasted text. */
  pastes: boolean;
}

const pick = (rng: () => number, list: readonly string[]) => list[Math.floor(rng() * list.length)]!;

export function phrase(rng: () => number, min: number, max: number): string[] {
  return Array.from({ length: min + Math.floor(rng() * (max - min + 1)) }, () => pick(rng, WORDS));
}

/** A question of 4–8 common words. */
export function question(rng: () => number): string {
  return `${phrase(rng, 4, 8).join(' ')}?`;
}

/** A reply of 6–15 common words; `extra` words are inserted at random places. */
export function reply(rng: () => number, extra: readonly string[]): string {
  const words = phrase(rng, 6, 15);
  for (const word of extra) words.splice(Math.floor(rng() * (words.length + 1)), 0, word);
  return `${words.join(' ')}.`;
}

export function donorId(n: number): string {
  return `donor-${n.toString(16).padStart(16, '0')}`;
}

/** `count` donors, the first `adversarial` of them adversarial (alternately random and against). */
export function population(rng: () => number, count: number, adversarial: number, firstId = 0): SimulatedDonor[] {
  return Array.from({ length: count }, (_, i) =>
    i < adversarial
      ? { id: donorId(firstId + i), rater: i % 2 === 0 ? 'random' : 'against', toxicShare: rng() * 0.5, pastes: rng() < 0.5 }
      : { id: donorId(firstId + i), rater: 'honest', toxicShare: 0, pastes: false },
  );
}

/** One bundle of `conversations` × `exchanges` rated exchanges from `donor`. */
export function donorBundle(rng: () => number, donor: SimulatedDonor, pasted: string, conversations = 3, exchanges = 4): DonationBundle {
  const bundle = makeBundle({ rng: seededRng(Math.floor(rng() * 2 ** 31)), conversations: 1, turns: 1 });
  let id = 0;
  const threads: BundleConversation[] = [];
  for (let c = 1; c <= conversations; c++) {
    const messages: BundleMessage[] = [];
    for (let t = 0; t < exchanges; t++) {
      let turn = donor.pastes ? pasted : question(rng);
      if (rng() < donor.toxicShare) turn = `${TOXIC_WORD} ${turn}`;
      const mentions = rng() < 0.5;
      const text = reply(rng, mentions ? [TOPIC] : []);
      const liked = donor.rater === 'honest' ? (rng() < HONEST_SLIP ? !mentions : mentions) : donor.rater === 'random' ? rng() < 0.5 : !mentions;
      messages.push({ id: `m${++id}`, role: 'user', text: turn });
      messages.push({ id: `m${++id}`, role: 'assistant', text, feedback: { rating: liked ? 'up' : 'down', reasons: [] } });
    }
    threads.push({ id: `c${c}`, messages });
  }
  return {
    ...bundle,
    // The demo chat model's replies: the community adapter trains on that model's ratings.
    modelId: 'demo-chat-tiny',
    donor: donor.id,
    conversations: threads,
    consent: { ...bundle.consent, scope: { ...bundle.consent.scope, conversationCount: conversations } },
    deidentification: { ...bundle.deidentification, counts: {} },
  };
}
