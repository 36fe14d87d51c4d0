/** When and what the generation adapter learns (src/learning/adapter-learner.ts), with fake workers and storage. */
import { describe, expect, it } from 'vitest';
import { AdapterLearner, type AdapterStorage, type LearnJob, type LearnerDeps } from '../../../src/learning/adapter-learner';
import { ADAPTER_VERSION, type LogitAdapterState, type RatedReply, type RatedReplyRequest } from '../../../workers/shared/learning-protocol';

const VOCAB = 10;

function adapterFor(modelId: string, examples: RatedReply[], trainingCount: number): LogitAdapterState {
  return {
    version: ADAPTER_VERSION, modelId, vocabSize: VOCAB, featureDim: 2, rank: 1, seed: 1,
    bias: new Float32Array(VOCAB), u: new Float32Array(VOCAB), v: new Float32Array(2),
    trainingCount, exampleCount: examples.length, updatedAt: 1000 + trainingCount,
  };
}

function example(request: RatedReplyRequest): RatedReply {
  return {
    id: request.exampleId, positive: request.positive, weight: 1, features: new Float32Array(2),
    logits: { k: 1, targets: Int32Array.of(1), topIds: Int32Array.of(1), topLogits: Float32Array.of(0), targetLogits: Float32Array.of(0), restLogSumExp: Float32Array.of(0) },
  };
}

class Harness {
  idle = true;
  enabled = true;
  computed: RatedReplyRequest[] = [];
  trainedOn: string[][] = [];
  applied: (LogitAdapterState | null)[] = [];
  stored = new Map<string, { modelId: string; messageId: string; example: RatedReply }>();
  adapters = new Map<string, LogitAdapterState>();
  /** Runs before a forward pass resolves (to race a withdrawal against it). */
  duringCompute: (() => Promise<void>) | null = null;

  readonly storage: AdapterStorage = {
    loadAdapter: async (modelId) => this.adapters.get(modelId) ?? null,
    saveAdapter: async (adapter) => void this.adapters.set(adapter.modelId, adapter),
    replaceExamplesOf: async (modelId, messageId, examples) => {
      for (const [key, value] of this.stored) if (value.modelId === modelId && value.messageId === messageId) this.stored.delete(key);
      for (const e of examples) this.stored.set(`${modelId}|${e.id}`, { modelId, messageId, example: e });
    },
    listExamples: async (modelId) => [...this.stored.values()].filter((v) => v.modelId === modelId).map((v) => v.example),
    deleteExamplesOf: async (ids) => {
      const models = new Set<string>();
      for (const [key, value] of this.stored) {
        if (ids.includes(value.messageId)) {
          models.add(value.modelId);
          this.stored.delete(key);
        }
      }
      return models;
    },
    forgetModel: async (modelId) => {
      this.adapters.delete(modelId);
      for (const [key, value] of this.stored) if (value.modelId === modelId) this.stored.delete(key);
    },
    forgetAll: async () => {
      this.adapters.clear();
      this.stored.clear();
    },
  };

  readonly deps: LearnerDeps = {
    idle: () => this.idle,
    enabled: () => this.enabled,
    ratedReply: async (request) => {
      this.computed.push(request);
      if (this.duringCompute) await this.duringCompute();
      return { example: example(request), vocabSize: VOCAB };
    },
    train: async (base, modelId, _vocab, examples) => {
      this.trainedOn.push(examples.map((e) => e.id).sort());
      return { adapter: adapterFor(modelId, examples, (base?.trainingCount ?? 0) + 1), steps: 3, ms: 1 };
    },
    useAdapter: async (adapter) => {
      this.applied.push(adapter);
      return adapter !== null && adapter.exampleCount > 0;
    },
    storage: this.storage,
  };

  readonly learner = new AdapterLearner(this.deps);
}

const job = (messageId: string, liked: boolean, betterResponse = ''): LearnJob => ({
  messageId, systemPrompt: 'Be brief.', turns: [{ role: 'user', content: 'Hi' }], reply: `reply ${messageId}`, cutAtTokens: 256, temperature: 0.8, liked, reasons: liked ? [] : ['off-topic'], betterResponse,
});

describe('AdapterLearner', () => {
  it('learns a rating once the model is ready: logits of the reply, stored, retrained, applied', async () => {
    const h = new Harness();
    h.learner.rated(job('m1', false));
    await h.learner.settled();
    expect(h.computed).toEqual([]); // no model yet: the rating waits
    expect(h.learner.status.waiting).toBe(1);

    await h.learner.modelReady('chat-a', VOCAB);
    await h.learner.settled();
    expect(h.computed.map((r) => [r.exampleId, r.positive, r.reasons])).toEqual([['m1', false, ['off-topic']]]);
    expect(h.trainedOn).toEqual([['m1']]);
    expect(h.applied.at(-1)?.exampleCount).toBe(1);
    expect(h.adapters.get('chat-a')?.exampleCount).toBe(1);
    expect(h.learner.status).toMatchObject({ modelId: 'chat-a', ratings: 1, waiting: 0, applied: true, training: false });
  });

  it('"what it should have said" is a positive example beside the disliked reply, ending where the user ended it', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-a', VOCAB);
    h.learner.rated(job('m1', false, 'A better answer.'));
    await h.learner.settled();
    // The model's reply may have been cut at its token limit; the user's text was not.
    expect(h.computed.map((r) => [r.exampleId, r.positive, r.reply, r.cutAtTokens])).toEqual([
      ['m1', false, 'reply m1', 256],
      ['m1:better', true, 'A better answer.', null],
    ]);
    expect(h.trainedOn.at(-1)).toEqual(['m1', 'm1:better']);
  });

  it('never runs a forward pass while a reply is being written; a woken learner catches up', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-a', VOCAB);
    h.idle = false;
    h.learner.rated(job('m1', true));
    h.learner.rated(job('m2', false));
    await h.learner.settled();
    expect(h.computed).toEqual([]);
    h.idle = true;
    h.learner.wake();
    await h.learner.settled();
    expect(h.computed.map((r) => r.exampleId)).toEqual(['m1', 'm2']);
    // Both examples were stored before one training run took them together.
    expect(h.trainedOn).toEqual([['m1', 'm2']]);
  });

  it('a rating taken back is deleted and the adapter retrained without it', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-a', VOCAB);
    h.learner.rated(job('m1', true));
    h.learner.rated(job('m2', false, 'Better.'));
    await h.learner.settled();
    await h.learner.forget(['m2']);
    await h.learner.settled();
    expect(h.trainedOn.at(-1)).toEqual(['m1']);
    expect([...h.stored.keys()]).toEqual(['chat-a|m1']);
    expect(h.learner.status.ratings).toBe(1);
  });

  it('a rating withdrawn while its logits were computed is not stored', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-a', VOCAB);
    h.duringCompute = async () => {
      h.duringCompute = null;
      await h.learner.forget(['m1']);
    };
    h.learner.rated(job('m1', false));
    await h.learner.settled();
    expect(h.computed).toHaveLength(1);
    expect(h.stored.size).toBe(0);
    expect(h.learner.status.ratings).toBe(0);
  });

  it('a changed rating replaces its example (newest wins)', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-a', VOCAB);
    h.learner.rated(job('m1', false, 'Better.'));
    await h.learner.settled();
    h.learner.rated(job('m1', true));
    await h.learner.settled();
    expect([...h.stored.values()].map((v) => [v.example.id, v.example.positive])).toEqual([['m1', true]]);
  });

  it('switched off: nothing is computed and no adapter is applied; on again, it learns what waited', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-a', VOCAB);
    h.learner.rated(job('m1', true));
    await h.learner.settled();
    h.enabled = false;
    await h.learner.setEnabled();
    expect(h.applied.at(-1)).toBeNull();
    h.learner.rated(job('m2', true));
    await h.learner.settled();
    expect(h.computed.map((r) => r.exampleId)).toEqual(['m1']);
    h.enabled = true;
    await h.learner.setEnabled();
    await h.learner.settled();
    expect(h.computed.map((r) => r.exampleId)).toEqual(['m1', 'm2']);
    expect(h.applied.at(-1)?.exampleCount).toBe(2);
  });

  it('reset forgets the model’s adapter and examples; another model keeps its own', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-b', VOCAB);
    h.learner.rated(job('b1', true));
    await h.learner.settled();
    await h.learner.modelReady('chat-a', VOCAB);
    h.learner.rated(job('a1', true));
    await h.learner.settled();
    await h.learner.reset();
    expect(h.applied.at(-1)).toBeNull();
    expect(h.adapters.has('chat-a')).toBe(false);
    expect(h.adapters.get('chat-b')?.exampleCount).toBe(1);
    expect([...h.stored.keys()]).toEqual(['chat-b|b1']);
    expect(h.learner.status.ratings).toBe(0);
  });

  it('a different model starts from its own stored adapter (or none), not the last model’s', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-a', VOCAB);
    h.learner.rated(job('a1', true));
    await h.learner.settled();
    await h.learner.modelReady('chat-b', VOCAB);
    expect(h.applied.at(-1)).toBeNull();
    expect(h.learner.status.ratings).toBe(0);
    await h.learner.modelReady('chat-a', VOCAB);
    expect(h.applied.at(-1)?.modelId).toBe('chat-a');
  });

  it('a failed forward pass says so and keeps the rating waiting', async () => {
    const h = new Harness();
    await h.learner.modelReady('chat-a', VOCAB);
    h.deps.ratedReply = async () => {
      throw new Error('the model worker crashed');
    };
    h.learner.rated(job('m1', true));
    await h.learner.settled();
    expect(h.learner.status.error).toMatch(/Your rating is saved, but the model could not learn from it: the model worker crashed/);
    expect(h.learner.status.waiting).toBe(1);
  });
});
