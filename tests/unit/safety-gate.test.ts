/**
 * The safety gate and best-of-N on the real reward-worker code in Node: the demo stand-in
 * classifier (built to flag "kaboom") and the personal head decide which candidate is shown.
 */
import { env } from '@huggingface/transformers';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ENCODER, DEMO_SAFETY } from '../../src/reward/reward-catalog';
import { chooseCandidate } from '../../src/reward/selection';
import type { RewardEvent, RewardRequest, RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';
import { RewardService } from '../../workers/reward/reward-service';

let service: RewardService;
/** A request without its id (Omit over each member of the union). */
type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;
let next = 0;

async function ask<T extends RewardEvent['type']>(request: Unsent<RewardRequest>, expected: T): Promise<Extract<RewardEvent, { type: T }>> {
  const events: RewardEvent[] = [];
  await service.handle({ ...request, id: `r${++next}` } as RewardRequest, (event) => events.push(event));
  const found = events.find((e) => e.type === expected);
  if (!found) throw new Error(`no ${expected}: ${JSON.stringify(events)}`);
  return found as Extract<RewardEvent, { type: T }>;
}

beforeAll(async () => {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = resolve('public/models') + '/';
  service = new RewardService();
  await ask({ type: 'load', encoder: DEMO_ENCODER, safety: DEMO_SAFETY, backend: 'wasm', head: null }, 'ready');
}, 60_000);
afterAll(() => (service as { dispose?: () => void }).dispose?.());

async function score(texts: string[]): Promise<{ safety: SafetyScore[]; rewards: RewardScore[] }> {
  const { scores: safety } = await ask({ type: 'classify', texts, threshold: 0.5 }, 'classified');
  const { scores: rewards } = await ask({ type: 'score', context: [{ role: 'user', content: 'Tell me something' }], replies: texts }, 'scored');
  return { safety, rewards };
}

describe('safety gate with the stand-in classifier', () => {
  it('drops the candidate with the trigger word, even when it would win on reward', async () => {
    // Teach the head to like the trigger word's reply, so only the gate can stop it.
    for (let i = 0; i < 6; i += 1) {
      await ask({ type: 'train', example: { messageId: `up${i}`, context: [], reply: `kaboom kaboom ${i}`, liked: true, reasons: [] } }, 'head');
      await ask({ type: 'train', example: { messageId: `down${i}`, context: [], reply: `the weather is mild today ${i}`, liked: false, reasons: [] } }, 'head');
    }
    const texts = ['the weather is mild today', 'then it all went kaboom', 'a walk by the river'];
    const { safety, rewards } = await score(texts);
    expect(safety[1]!.flagged).toBe(true);
    expect(rewards[1]!.ok).toBeGreaterThan(Math.max(rewards[0]!.ok, rewards[2]!.ok));
    const choice = chooseCandidate(texts.map((text, i) => ({ text, safety: safety[i]!, reward: rewards[i]! })));
    expect(choice.index).not.toBe(1);
    expect(choice.candidates[1]!.droppedFor).toBe('unsafe');
    // Among the safe ones, the highest reward wins.
    const safeBest = rewards[0]!.ok >= rewards[2]!.ok ? 0 : 2;
    expect(choice.index).toBe(safeBest);
  });

  it('when every candidate is flagged there is nothing to show: the app answers with a topic change', async () => {
    const texts = ['kaboom', 'KABOOM!', 'it went kaboom'];
    const { safety, rewards } = await score(texts);
    expect(safety.every((s) => s.flagged)).toBe(true);
    expect(chooseCandidate(texts.map((text, i) => ({ text, safety: safety[i]!, reward: rewards[i]! }))).index).toBeNull();
  });
});
