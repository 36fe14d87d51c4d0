/**
 * The community head as the prior of the personal head (issue 21): with no ratings the head is
 * the community's; ratings move it towards the user; the artifact an app downloads is checked
 * (shape, encoder, hash) before it is used. Pure arithmetic on synthetic features: the
 * simulated population with the real encoder is `npm run eval:community`.
 */
import { describe, expect, it } from 'vitest';
import { checkArtifact, communityLogit, sealArtifact, type CommunityHeadBody } from '../../workers/shared/community-artifact';
import { adoptHead, emptyHead, fit, forgetExample, HeadScorer, sigmoid, trainHead, withPrior } from '../../workers/reward/personal-head';
import { seededRandom } from '../../bench/simulated-user';

const SIZE = 12;

/** Feature 0 says "the community likes it", feature 1 "this user likes it"; the other 10 are noise. */
function point(rng: () => number, community: boolean, user: boolean): number[] {
  const noise = Array.from({ length: SIZE - 2 }, () => rng() * 2 - 1);
  return [community ? 1 : -1, user ? 1 : -1, ...noise].map((x) => x + (rng() - 0.5));
}

async function communityHead(): Promise<Awaited<ReturnType<typeof sealArtifact>>> {
  const body: CommunityHeadBody = {
    format: 'community-reward-head',
    formatVersion: 1,
    version: 1,
    encoderId: 'enc',
    featureVersion: 1,
    featureSize: SIZE,
    weights: [3, ...new Array<number>(SIZE - 1).fill(0)],
    bias: 0,
    mean: new Array<number>(SIZE).fill(0),
    invStd: new Array<number>(SIZE).fill(1),
    donors: 30,
    ratings: 900,
    minTrust: 0.5,
    createdAt: '2026-12-03T10:00:00.000Z',
  };
  return sealArtifact(body);
}

describe('a personal head with a community prior', () => {
  it('scores like the community head before any rating, and splits the logit into community and personal parts', async () => {
    const prior = await communityHead();
    const head = emptyHead('enc', SIZE, prior);
    const scorer = new HeadScorer(head);
    const liked = [1, 0.3, 0.1, -0.2, ...new Array<number>(SIZE - 4).fill(0)];
    expect(scorer.probability(liked)).toBeCloseTo(sigmoid(communityLogit(prior, liked)), 12);
    expect(scorer.probability(liked)).toBeGreaterThan(0.9);
    expect(scorer.contributions(liked)).toEqual({ community: communityLogit(prior, liked), personal: 0 });
    // Without a prior the same untrained head has no opinion.
    expect(new HeadScorer(emptyHead('enc', SIZE)).probability(liked)).toBe(0.5);
  });

  it('learns what this user adds on top, keeping what the community knows', async () => {
    const prior = await communityHead();
    const rng = seededRandom(5);
    let withCommunity = emptyHead('enc', SIZE, prior);
    let alone = emptyHead('enc', SIZE);
    // This user likes what the community likes AND what feature 1 marks; 10 ratings.
    for (let i = 0; i < 10; i++) {
      const community = rng() < 0.5;
      const user = rng() < 0.5;
      const example = { messageId: `m${i}`, features: point(rng, community, user), liked: community || user, weight: 1 };
      withCommunity = trainHead(withCommunity, example);
      alone = trainHead(alone, example);
    }
    const accuracy = (head: typeof alone) => {
      const scorer = new HeadScorer(head);
      const test = seededRandom(99);
      let right = 0;
      for (let i = 0; i < 400; i++) {
        const community = test() < 0.5;
        const user = test() < 0.5;
        right += scorer.probability(point(test, community, user)) >= 0.5 === (community || user) ? 1 : 0;
      }
      return right / 400;
    };
    // Better than the community alone (which misses this user's own likes) and than the user's
    // 10 ratings alone (too few for 12 features).
    expect(accuracy(withCommunity)).toBeGreaterThan(accuracy(emptyHead('enc', SIZE, prior)) + 0.03);
    expect(accuracy(withCommunity)).toBeGreaterThan(accuracy(alone));
    // The user's own feature got a positive weight in the head's own part.
    expect(withCommunity.weights[1]).toBeGreaterThan(0.2);
    expect(withCommunity.prior?.contentHash).toBe(prior.contentHash);
  });

  it('keeps the ratings when the prior is removed or changed, and back to the prior alone when they are forgotten', async () => {
    const prior = await communityHead();
    const rng = seededRandom(8);
    let head = emptyHead('enc', SIZE, prior);
    head = trainHead(head, { messageId: 'a', features: point(rng, false, true), liked: true, weight: 1 });
    const without = withPrior(head, null);
    expect(without.prior).toBeNull();
    expect(without.examples).toEqual(head.examples);
    expect(without.weights).toEqual(fit({ ...without, weights: new Array(SIZE).fill(0), bias: 0 }).weights);
    const back = forgetExample(head, 'a');
    expect(back.examples).toEqual([]);
    const x = point(rng, true, false);
    expect(new HeadScorer(back).probability(x)).toBeCloseTo(sigmoid(communityLogit(prior, x)), 12);
  });

  it('drops a stored prior made for another encoder, keeping the ratings', async () => {
    const prior = { ...(await communityHead()), encoderId: 'other' };
    const head = { ...emptyHead('enc', SIZE), prior };
    const adopted = adoptHead(head, 'enc', SIZE);
    expect(adopted.prior).toBeNull();
    expect(emptyHead('enc', SIZE, prior).prior).toBeNull();
  });
});

describe('checkArtifact', () => {
  const expected = { encoderId: 'enc', featureSize: SIZE, featureVersion: 1 };

  it('accepts a sealed artifact for this encoder', async () => {
    const artifact = await communityHead();
    expect(await checkArtifact(JSON.parse(JSON.stringify(artifact)), expected)).toEqual({ ok: true, artifact });
  });

  it('refuses a changed weight (checksum), another encoder, a damaged field, or something else', async () => {
    const artifact = await communityHead();
    expect(await checkArtifact({ ...artifact, weights: [...artifact.weights.slice(0, -1), 0.001] }, expected)).toEqual({
      ok: false,
      problem: 'The community model does not match its checksum; it was not used.',
    });
    expect(await checkArtifact(artifact, { ...expected, encoderId: 'Xenova/all-MiniLM-L6-v2' })).toMatchObject({ ok: false, problem: expect.stringMatching(/trained for the encoder enc/) });
    expect(await checkArtifact({ ...artifact, bias: 'x' }, expected)).toMatchObject({ ok: false, problem: expect.stringMatching(/damaged/) });
    expect(await checkArtifact({ ...artifact, weights: [1, 2] }, expected)).toMatchObject({ ok: false, problem: expect.stringMatching(/damaged/) });
    expect(await checkArtifact('<html>', expected)).toMatchObject({ ok: false, problem: 'The download is not a community model.' });
    expect(await checkArtifact({ ...artifact, format: 'x' }, expected)).toMatchObject({ ok: false });
  });
});
