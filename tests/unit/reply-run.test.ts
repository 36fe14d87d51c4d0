/** One reply from request to stored result (src/chat/reply-run.ts), with the workers and the store faked. */
import { describe, expect, it } from 'vitest';
import { ReplyRun, type ReplyRunClients, type ReplyRunRequest } from '../../src/chat/reply-run';
import type { AdapterEffect } from '../../workers/shared/learning-protocol';
import type { DoneInfo, RunningReply } from '../../src/inference/dialogue-client';
import type { StoredMessage } from '../../src/storage/schema';
import type { RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A generation the test drives: emit text, finish, fail; stop() ends it as stopped by the user. */
class FakeGeneration implements RunningReply {
  text = '';
  stopped = false;
  private readonly ending = deferred<DoneInfo>();
  readonly done = this.ending.promise;
  constructor(private readonly onText: (delta: string) => void) {}
  emit(delta: string): void {
    this.text += delta;
    this.onText(delta);
  }
  finish(candidates?: string[], adapterEffects?: AdapterEffect[]): void {
    this.ending.resolve({ ...doneInfo(this.text, false, candidates), ...(adapterEffects ? { adapterEffects } : {}) });
  }
  crash(message: string): void {
    this.ending.reject(new Error(message));
  }
  stop(): void {
    this.stopped = true;
    this.ending.resolve(doneInfo(this.text, true));
  }
}

function doneInfo(text: string, stoppedByUser: boolean, candidates?: string[]): DoneInfo {
  return {
    type: 'done', id: 'g', text, candidates: candidates ?? [text], prompt: 'PROMPT', stoppedByUser,
    metrics: { ttftMs: 1, decodeTokensPerSecond: 10, promptTokens: 5, prefillTokens: 5, newTokens: 3, totalMs: 9, backend: 'wasm', dtype: 'q8', droppedTurns: 0 },
  };
}

const safe = (unsafe = 0.01): SafetyScore => ({ unsafe, label: 'unsafe', flagged: unsafe >= 0.5 });
const reward = (ok: number): RewardScore => ({ ok, label: ok >= 0.5 ? '__ok__' : '__not_ok__', trainingCount: 3 });

function quotaError(): Error {
  const error = new Error('The quota has been exceeded.');
  error.name = 'QuotaExceededError';
  return error;
}

interface Harness {
  reply: StoredMessage;
  clients: ReplyRunClients;
  generation: () => FakeGeneration;
  /** Snapshots of the reply at each save that succeeded. */
  saved: StoredMessage[];
  /** Resolves the question's safety verdict (the first classify call). */
  verdict: ReturnType<typeof deferred<SafetyScore[] | null>>;
  classifyCalls: string[][];
  scoreCalls: number;
  failSaves: (fail: boolean) => void;
}

function harness(options: { replyVerdicts?: SafetyScore[] | null; rewards?: RewardScore[] | null } = {}): Harness {
  const reply: StoredMessage = {
    id: 'r1', conversationId: 'c1', parentId: 'q1', role: 'assistant', content: '', createdAt: 2, updatedAt: 2, status: 'partial', stopReason: 'interrupted',
  };
  let current: FakeGeneration | null = null;
  let failing = false;
  const h: Harness = {
    reply,
    saved: [],
    verdict: deferred<SafetyScore[] | null>(),
    classifyCalls: [],
    scoreCalls: 0,
    generation: () => current!,
    failSaves: (fail) => (failing = fail),
    clients: {
      generate: (_params, onText) => (current = new FakeGeneration(onText)),
      classify: (texts) => {
        h.classifyCalls.push(texts);
        return h.classifyCalls.length === 1 ? h.verdict.promise : Promise.resolve(options.replyVerdicts === undefined ? texts.map(() => safe()) : options.replyVerdicts);
      },
      score: async (_turns, texts) => {
        h.scoreCalls += 1;
        return options.rewards === undefined ? texts.map(() => reward(0.6)) : options.rewards;
      },
      save: async () => {
        if (failing) throw quotaError();
        h.saved.push(structuredClone(reply));
      },
    },
  };
  return h;
}

const request = (overrides: Partial<ReplyRunRequest> = {}): ReplyRunRequest => ({
  conversationId: 'c1', systemPrompt: 'Be kind.', turns: [{ role: 'user', content: 'Hello' }], question: 'Hello',
  sampling: { temperature: 0.7, topP: 0.9, topK: 40, maxNewTokens: 32, repetitionPenalty: 1.1 },
  gate: { enabled: true, threshold: 0.5 }, count: 1, ...overrides,
});

describe('a reply run', () => {
  it('holds streamed text back until the question is judged safe, then shows and saves it', async () => {
    const h = harness();
    const ended = new ReplyRun(h.reply, h.clients).run(request());
    await tick();
    h.generation().emit('Hi ');
    h.generation().emit('there');
    expect(h.reply.content).toBe('');
    h.verdict.resolve([safe()]);
    await tick();
    expect(h.reply.content).toBe('Hi there');
    h.generation().finish();
    const outcome = await ended;
    expect(outcome).toEqual({ failed: null, notSaved: null });
    expect(h.reply).toMatchObject({ content: 'Hi there', status: 'complete', stopReason: undefined, dtype: 'q8', prompt: 'PROMPT' });
    expect(h.saved.at(-1)).toMatchObject({ content: 'Hi there', status: 'complete' });
    // The empty reply was stored before anything streamed.
    expect(h.saved[0]).toMatchObject({ content: '', status: 'partial' });
  });

  it('replaces the reply to a flagged question with a change of topic, and the held text never shows', async () => {
    const h = harness();
    const ended = new ReplyRun(h.reply, h.clients).run(request());
    await tick();
    h.generation().emit('Sure, here is how');
    h.verdict.resolve([safe(0.97)]);
    await ended;
    expect(h.generation().stopped).toBe(true);
    expect(h.reply.content).not.toContain('here is how');
    expect(h.reply).toMatchObject({ isSafetyControlledResponse: true, status: 'complete' });
    expect(h.reply.safetyNote).toMatch(/your message/);
    expect(h.saved.every((m) => !m.content.includes('here is how'))).toBe(true);
  });

  it('marks a reply whose safety check could not run', async () => {
    const h = harness({ replyVerdicts: null });
    const ended = new ReplyRun(h.reply, h.clients).run(request());
    await tick();
    h.verdict.resolve(null);
    await tick();
    h.generation().emit('ok');
    h.generation().finish();
    await ended;
    expect(h.reply.safetyNote).toBe('The safety filter could not run, so this reply was not checked.');
  });

  it('best-of-3 shows the safe candidate with the highest reward and keeps all three for Look inside', async () => {
    const h = harness({ replyVerdicts: [safe(), safe(0.9), safe()], rewards: [reward(0.2), reward(0.95), reward(0.7)] });
    const progress: unknown[] = [];
    const ended = new ReplyRun(h.reply, h.clients, (p) => progress.push(p)).run(request({ count: 3 }));
    await tick();
    h.verdict.resolve([safe()]);
    await tick();
    h.generation().finish(['first', 'unsafe but loved', 'third']);
    await ended;
    // The second has the top reward but is unsafe: the third wins.
    expect(h.reply.content).toBe('third');
    expect(h.reply.candidates?.map((c) => c.chosen)).toEqual([false, false, true]);
    expect(h.reply.candidates?.[1]?.droppedFor).toBe('unsafe');
    expect(h.reply.choiceReason).toMatch(/Highest reward/);
    expect(progress[0]).toEqual({ tokens: 0, maxTokens: 32, count: 3 });
    expect(progress.at(-1)).toBeNull();
  });

  it('Look inside gets the generation adapter’s effect on the candidate shown, not on the first', async () => {
    const h = harness({ rewards: [reward(0.2), reward(0.95)] });
    const ended = new ReplyRun(h.reply, h.clients, () => undefined).run(request({ count: 2 }));
    await tick();
    h.verdict.resolve([safe()]);
    await tick();
    const effect = (p: number): AdapterEffect => ({ ratings: 4, tokens: 3, meanProbWith: p, meanProbWithout: 0.1 });
    h.generation().finish(['first', 'second'], [effect(0.2), effect(0.4)]);
    await ended;
    expect(h.reply.content).toBe('second');
    expect(h.reply.metrics?.adapter).toEqual(effect(0.4));
    expect(h.saved.at(-1)?.metrics?.adapter).toEqual(effect(0.4));
  });

  it('stopped mid-stream keeps the text so far as the user’s, and does not rescore or swap it', async () => {
    const h = harness();
    const run = new ReplyRun(h.reply, h.clients);
    const ended = run.run(request());
    await tick();
    h.verdict.resolve([safe()]);
    await tick();
    h.generation().emit('Half a thou');
    run.stop();
    await ended;
    expect(h.reply).toMatchObject({ content: 'Half a thou', status: 'partial', stopReason: 'user' });
    expect(h.scoreCalls).toBe(0);
    expect(h.saved.at(-1)).toMatchObject({ content: 'Half a thou', status: 'partial', stopReason: 'user' });
  });

  it('stopped while the empty reply is being stored never starts generating', async () => {
    const h = harness();
    let generated = false;
    const clients = { ...h.clients, generate: (...args: Parameters<ReplyRunClients['generate']>) => ((generated = true), h.clients.generate(...args)) };
    const run = new ReplyRun(h.reply, clients);
    const ended = run.run(request());
    run.stop();
    await ended;
    expect(generated).toBe(false);
    expect(h.reply).toMatchObject({ status: 'partial', stopReason: 'user' });
  });

  it('a worker crash mid-stream marks the reply as failed, stores that, and ends the run', async () => {
    const h = harness();
    const ended = new ReplyRun(h.reply, h.clients).run(request());
    await tick();
    h.verdict.resolve([safe()]);
    await tick();
    h.generation().emit('Some text');
    h.generation().crash('The chat worker stopped unexpectedly.');
    const outcome = await ended;
    expect(outcome.failed).toBe('The chat worker stopped unexpectedly.');
    expect(h.saved.at(-1)).toMatchObject({ status: 'error', error: 'The chat worker stopped unexpectedly.' });
  });

  it('a full disk does not stop the reply: it is shown, and the outcome says it was not saved and what to do', async () => {
    const h = harness();
    h.failSaves(true);
    const ended = new ReplyRun(h.reply, h.clients).run(request());
    await tick();
    h.verdict.resolve([safe()]);
    await tick();
    h.generation().emit('Still here');
    h.generation().finish();
    const outcome = await ended;
    expect(h.reply).toMatchObject({ content: 'Still here', status: 'complete' });
    expect(outcome.failed).toBeNull();
    expect(outcome.notSaved).toMatch(/not saved: the browser’s storage for this app is full\. Delete a downloaded model/);
  });

  it('a save that fails mid-stream but succeeds at the end reports nothing', async () => {
    const h = harness();
    h.failSaves(true);
    const ended = new ReplyRun(h.reply, h.clients).run(request());
    await tick();
    h.verdict.resolve([safe()]);
    await tick();
    h.generation().emit('Recovered');
    h.failSaves(false);
    h.generation().finish();
    const outcome = await ended;
    expect(outcome.notSaved).toBeNull();
    expect(h.saved.at(-1)).toMatchObject({ content: 'Recovered', status: 'complete' });
  });
});
