/**
 * Closing the loop on a simulated population (issue 21): donors → a real collector → trust →
 * a community reward head → new users who adopt it as the prior of their personal head.
 *
 *   npm run eval:community                         3 seeds, 30% adversarial donors
 *   npm run eval:community -- --adversarial 0.3 --seeds 5 --donors 40 --json out.json
 *
 * Per seed: `--donors` simulated donors share a preference (they like replies that mention
 * 'music'; 5% of their ratings slip). A share `--adversarial` of them are adversarial, as BB3x
 * found about 30% of organic users to be: half rate at random, half against the preference, each
 * writes a share of toxic turns (0–50%, drawn per donor; the demo safety classifier's trigger word),
 * and half of them paste one turn over and over. Every donor sends 2 bundles of 3 conversations
 * of 4 rated exchanges to a real collector (HTTP, SQLite). The collector's own training
 * (`collector/community/train-community.ts`: the app's encoder and safety classifier on
 * onnxruntime-node, the trust score, the personal head's code) then trains three community heads:
 * with the trust filter (min trust 0.5), without it (every bundle), and on the honest donors only
 * (an oracle filter: the lift a perfect filter would keep).
 *
 * New users like 'music' too, and also replies that mention a word of their own (a different one
 * per user). Each rates replies one at a time as in the app; held-out pairwise accuracy (ties
 * count half) after K = 0, 10, 50 ratings, with no prior and with each community head as prior.
 * Trust filter precision/recall: donors scored below the threshold vs the adversarial ones.
 * Means over seeds and users. It prints figures and asserts nothing.
 */
import { env } from '@huggingface/transformers';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { trainCommunity } from '../collector/community/train-community';
import { DEMO_ENCODER, DEMO_SAFETY } from '../src/reward/reward-catalog';
import type { CommunityRewardHead } from '../workers/shared/community-artifact';
import type { ChatTurn } from '../workers/shared/protocol';
import { replyFeatures, type EncodeTokens, type TokenStates } from '../workers/reward/features';
import { emptyHead, trainHead } from '../workers/reward/personal-head';
import { SafetyClassifier, SentenceEncoder } from '../workers/reward/reward-models';
import { newToken } from '../tests/collector/support/bundles';
import { postBundle, startCollector } from '../tests/collector/support/collector';
import { donorBundle, population, question, reply } from './community/simulated-donors';
import { heldOutAccuracy, seededRandom, TOPIC, type Featurized } from './simulated-user';

const KS = [0, 10, 50] as const;
const NEW_USERS = 4;
const HELD_OUT = 150;
const BUNDLES_PER_DONOR = 2;
const MIN_TRUST = 0.5;

const OWN_WORDS = ['garden', 'river', 'coffee', 'mountain', 'winter', 'bicycle', 'library', 'kitchen', 'travel', 'paper', 'window', 'dinner'];

type Variant = 'noPrior' | 'prior' | 'priorUnfiltered' | 'priorHonestOnly';
const VARIANTS: Variant[] = ['noPrior', 'prior', 'priorUnfiltered', 'priorHonestOnly'];

function options() {
  const { values } = parseArgs({
    options: { adversarial: { type: 'string' }, seeds: { type: 'string' }, donors: { type: 'string' }, json: { type: 'string' } },
    strict: true,
  });
  const adversarial = Number(values.adversarial ?? 0.3);
  const seeds = Number(values.seeds ?? 3);
  const donors = Number(values.donors ?? 40);
  if (!(adversarial >= 0 && adversarial < 1) || !Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(donors) || donors < 4) {
    throw new Error('usage: community-eval.ts [--adversarial 0..1] [--seeds N] [--donors N ≥ 4] [--json FILE]');
  }
  return { adversarial, seeds, donors, json: values.json };
}

/** The encoder, remembered per text: the three trainings and the users see the same texts again. */
function memo(encode: EncodeTokens): EncodeTokens {
  const cache = new Map<string, Promise<TokenStates>>();
  return (text) => {
    let states = cache.get(text);
    if (!states) cache.set(text, (states = encode(text)));
    return states;
  };
}

async function userItems(encode: EncodeTokens, rng: () => number, own: string, n: number): Promise<Featurized[]> {
  const out: Featurized[] = [];
  for (let i = 0; i < n; i++) {
    const roll = rng();
    const extra = roll < 1 / 3 ? [TOPIC] : roll < 2 / 3 ? [own] : [];
    const context: ChatTurn[] = [{ role: 'user', content: question(rng) }];
    const text = reply(rng, extra);
    const [features] = await replyFeatures(encode, context, [text]);
    out.push({ context, reply: text, liked: extra.length > 0, features: features! });
  }
  return out;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

async function main(): Promise<void> {
  const opts = options();
  const started = performance.now();
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = path.join(root, 'public/models') + '/';
  const encoder = await SentenceEncoder.load(DEMO_ENCODER, { device: 'cpu', dtype: 'q8', localOnly: true });
  const safety = await SafetyClassifier.load(DEMO_SAFETY, { device: 'cpu', dtype: 'q8', localOnly: true });
  const encode = memo((text) => encoder.encode(text));
  const flag = async (texts: string[]) => (await safety.classify(texts, 0.5)).map((s) => s.flagged);

  const accuracy: Record<Variant, Record<number, number[]>> = Object.fromEntries(VARIANTS.map((v) => [v, Object.fromEntries(KS.map((k) => [k, []]))])) as never;
  const precision: number[] = [];
  const recall: number[] = [];
  const usedShare: number[] = [];

  for (let seed = 1; seed <= opts.seeds; seed++) {
    const rng = seededRandom(7000 + seed);
    const donors = population(rng, opts.donors, Math.round(opts.adversarial * opts.donors), seed * 1000);
    const adversarialIds = new Set(donors.filter((d) => d.rater !== 'honest').map((d) => d.id));

    const collector = await startCollector({ maxBodyBytes: 5 * 1024 * 1024 });
    const honestBodies: Array<{ bundleId: string; body: string }> = [];
    try {
      for (const donor of donors) {
        const pasted = question(rng);
        for (let b = 0; b < BUNDLES_PER_DONOR; b++) {
          const bundle = donorBundle(rng, donor, pasted);
          const response = await postBundle(collector.url, bundle, { token: newToken() });
          if (response.status !== 201) throw new Error(`the collector refused a simulated bundle: ${response.status} ${await response.text()}`);
          if (donor.rater === 'honest') honestBodies.push({ bundleId: bundle.bundleId, body: JSON.stringify(bundle) });
        }
      }
      const train = (minTrust: number, bodies?: Iterable<{ bundleId: string; body: string }>) =>
        trainCommunity(bodies ?? collector.storage.bodies(), { encoderId: DEMO_ENCODER.id, encode, flag, minTrust });
      const filtered = await train(MIN_TRUST);
      const unfiltered = await train(0);
      const honestOnly = await train(0, honestBodies);

      const flaggedDonors = [...filtered.donors].filter(([, v]) => v.score < MIN_TRUST).map(([id]) => id);
      const truePositives = flaggedDonors.filter((id) => adversarialIds.has(id)).length;
      precision.push(flaggedDonors.length ? truePositives / flaggedDonors.length : 1);
      recall.push(adversarialIds.size ? truePositives / adversarialIds.size : 1);
      usedShare.push(filtered.bundles.filter((b) => b.used).length / filtered.bundles.length);

      const priors: Record<Variant, CommunityRewardHead | null> = {
        noPrior: null,
        prior: filtered.artifact,
        priorUnfiltered: unfiltered.artifact,
        priorHonestOnly: honestOnly.artifact,
      };
      for (let u = 0; u < NEW_USERS; u++) {
        const own = OWN_WORDS[(seed * NEW_USERS + u) % OWN_WORDS.length]!;
        const stream = await userItems(encode, rng, own, Math.max(...KS));
        const heldOut = await userItems(encode, rng, own, HELD_OUT);
        const size = stream[0]!.features.length;
        for (const variant of VARIANTS) {
          let head = emptyHead(DEMO_ENCODER.id, size, priors[variant]);
          if (variant !== 'noPrior' && !head.prior) throw new Error(`no ${variant} community head was trained in seed ${seed}`);
          for (let k = 0; k <= Math.max(...KS); k++) {
            if ((KS as readonly number[]).includes(k)) accuracy[variant][k]!.push(heldOutAccuracy(head, heldOut));
            const item = stream[k];
            if (item) head = trainHead(head, { messageId: `m${k}`, features: item.features, liked: item.liked, weight: 1 });
          }
        }
      }
    } finally {
      await collector.close();
    }
    process.stderr.write(`seed ${seed}/${opts.seeds} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
  await encoder.dispose();
  await safety.dispose();

  const acc = (v: Variant, k: number) => mean(accuracy[v][k]!);
  const lift = (v: Variant) => acc(v, 10) - acc('noPrior', 10);
  console.log(`Community prior: ${opts.donors} donors (${Math.round(opts.adversarial * 100)}% adversarial), ${opts.seeds} seeds × ${NEW_USERS} new users, mean`);
  console.log(`encoder ${DEMO_ENCODER.id} and safety ${DEMO_SAFETY.id} (q8, onnxruntime-node CPU); ${os.cpus()[0]?.model.trim() ?? '?'}, ${os.cpus().length} cores, Node ${process.version}`);
  console.log('');
  console.log(`${'held-out accuracy'.padEnd(38)} ${KS.map((k) => `K = ${k}`.padStart(8)).join(' ')}   lift at K = 10`);
  const label: Record<Variant, string> = {
    noPrior: 'no prior',
    prior: 'community prior, trust filter',
    priorUnfiltered: 'community prior, no filter',
    priorHonestOnly: 'community prior, honest donors only',
  };
  for (const v of VARIANTS) {
    console.log(`${label[v].padEnd(38)} ${KS.map((k) => acc(v, k).toFixed(3).padStart(8)).join(' ')}   ${v === 'noPrior' ? '' : `${lift(v) >= 0 ? '+' : ''}${(lift(v) * 100).toFixed(1)} points`}`);
  }
  console.log('');
  console.log(`trust filter: precision ${mean(precision).toFixed(3)}, recall ${mean(recall).toFixed(3)} on the adversarial donors; ${(mean(usedShare) * 100).toFixed(0)}% of bundles kept`);
  console.log(`the filter keeps ${((lift('prior') / lift('priorHonestOnly')) * 100).toFixed(0)}% of the honest-only lift; no filter keeps ${((lift('priorUnfiltered') / lift('priorHonestOnly')) * 100).toFixed(0)}%`);
  console.log(`${((performance.now() - started) / 1000).toFixed(0)} s`);

  if (opts.json) {
    const table = (v: Variant) => Object.fromEntries(KS.map((k) => [String(k), acc(v, k)]));
    writeFileSync(
      opts.json,
      `${JSON.stringify(
        {
          accuracy: { noPrior: table('noPrior'), prior: table('prior'), priorUnfiltered: table('priorUnfiltered'), priorHonestOnly: table('priorHonestOnly') },
          trustFilter: { precision: mean(precision), recall: mean(recall) },
          adversarial: opts.adversarial,
          donors: opts.donors,
          seeds: opts.seeds,
        },
        null,
        2,
      )}\n`,
    );
    console.log(`figures written to ${opts.json}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
