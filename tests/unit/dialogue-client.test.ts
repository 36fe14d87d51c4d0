import { describe, expect, it } from 'vitest';
import type { DialogueEvent, DialogueRequest } from '../../workers/shared/protocol';
import { DialogueClient, DialogueError } from '../../src/inference/dialogue-client';

/**
 * A stand-in for a Web Worker: Node has none that speaks the browser API. It records what the
 * client posts and lets the test answer or crash. The real worker runs in the Playwright tests.
 */
class ScriptedWorker extends EventTarget {
  readonly posted: DialogueRequest[] = [];
  terminated = false;
  postMessage(request: DialogueRequest): void {
    this.posted.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  answer(event: DialogueEvent): void {
    this.dispatchEvent(new MessageEvent('message', { data: event }));
  }
  crash(message: string): void {
    // Node has no ErrorEvent; an Event with the same `message` field is what the client reads.
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

function clientWithWorkers() {
  const workers: ScriptedWorker[] = [];
  const client = new DialogueClient(() => {
    const worker = new ScriptedWorker();
    workers.push(worker);
    return worker as unknown as Worker;
  });
  return { client, workers };
}

const params = {
  conversationId: 'c1', systemPrompt: '', turns: [{ role: 'user' as const, content: 'Hello' }],
  sampling: { temperature: 0.7, topP: 0.9, topK: 40, maxNewTokens: 8, repetitionPenalty: 1 },
};

describe('DialogueClient', () => {
  it('streams tokens of one request and resolves with its done event', async () => {
    const { client, workers } = clientWithWorkers();
    const seen: string[] = [];
    const reply = client.generate(params, (t) => seen.push(t));
    const worker = workers[0]!;
    const id = worker.posted[0]!.id;
    worker.answer({ type: 'token', id, text: 'Hi' });
    worker.answer({ type: 'token', id: 'someone-else', text: 'ignored' });
    worker.answer({ type: 'token', id, text: ' there' });
    worker.answer({
      type: 'done', id, text: 'Hi there', candidates: ['Hi there'], stoppedByUser: false, prompt: 'p',
      metrics: { ttftMs: 1, decodeTokensPerSecond: 1, promptTokens: 1, prefillTokens: 1, newTokens: 2, totalMs: 2, backend: 'wasm', dtype: 'q8', droppedTurns: 0 },
    });
    await expect(reply.done).resolves.toMatchObject({ text: 'Hi there' });
    expect(seen).toEqual(['Hi', ' there']);
  });

  it('sends the candidate count, routes batch progress to its callback and resolves with every candidate', async () => {
    const { client, workers } = clientWithWorkers();
    const progress: Array<[number, number]> = [];
    const seen: string[] = [];
    const reply = client.generate({ ...params, candidates: 3 }, (t) => seen.push(t), (tokens, max) => progress.push([tokens, max]));
    const worker = workers[0]!;
    const request = worker.posted[0]!;
    expect(request).toMatchObject({ type: 'generate', candidates: 3 });
    const id = request.id;
    worker.answer({ type: 'candidates-progress', id, tokens: 1, maxTokens: 8 });
    worker.answer({ type: 'candidates-progress', id: 'someone-else', tokens: 5, maxTokens: 8 });
    worker.answer({ type: 'candidates-progress', id, tokens: 8, maxTokens: 8 });
    worker.answer({
      type: 'done', id, text: 'a', candidates: ['a', 'b', 'c'], stoppedByUser: false, prompt: 'p',
      metrics: { ttftMs: 1, decodeTokensPerSecond: 1, promptTokens: 1, prefillTokens: 1, newTokens: 1, totalMs: 2, backend: 'wasm', dtype: 'q8', droppedTurns: 0, candidateCount: 3 },
    });
    await expect(reply.done).resolves.toMatchObject({ text: 'a', candidates: ['a', 'b', 'c'], metrics: { candidateCount: 3 } });
    expect(progress).toEqual([[1, 8], [8, 8]]);
    expect(seen).toEqual([]);
  });

  it('ignores batch progress when no progress callback was given', async () => {
    const { client, workers } = clientWithWorkers();
    const reply = client.generate({ ...params, candidates: 2 }, () => undefined);
    const id = workers[0]!.posted[0]!.id;
    workers[0]!.answer({ type: 'candidates-progress', id, tokens: 1, maxTokens: 8 });
    workers[0]!.answer({
      type: 'done', id, text: 'a', candidates: ['a', 'b'], stoppedByUser: false, prompt: 'p',
      metrics: { ttftMs: 1, decodeTokensPerSecond: 1, promptTokens: 1, prefillTokens: 1, newTokens: 1, totalMs: 2, backend: 'wasm', dtype: 'q8', droppedTurns: 0 },
    });
    await expect(reply.done).resolves.toMatchObject({ candidates: ['a', 'b'] });
  });

  it('sends an interrupt for the running request on stop', () => {
    const { client, workers } = clientWithWorkers();
    const reply = client.generate(params, () => undefined);
    reply.stop();
    const [generate, interrupt] = workers[0]!.posted;
    expect(interrupt).toEqual({ type: 'interrupt', id: generate!.id });
  });

  it('turns a worker error event into a rejected request', async () => {
    const { client, workers } = clientWithWorkers();
    const reply = client.generate(params, () => undefined);
    const id = workers[0]!.posted[0]!.id;
    workers[0]!.answer({ type: 'error', id, kind: 'generation', message: 'boom' });
    await expect(reply.done).rejects.toMatchObject({ kind: 'generation', message: 'boom' });
  });

  it('fails requests in flight when the worker crashes, tells listeners, and starts a new worker', async () => {
    const { client, workers } = clientWithWorkers();
    const crashes: DialogueError[] = [];
    client.onCrash((e) => crashes.push(e));
    const reply = client.generate(params, () => undefined);
    workers[0]!.crash('out of memory');
    await expect(reply.done).rejects.toMatchObject({ kind: 'worker-crashed' });
    expect(crashes[0]?.message).toContain('out of memory');
    expect(workers[0]!.terminated).toBe(true);

    const again = client.generate(params, () => undefined);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.posted[0]).toMatchObject({ type: 'generate' });
    client.dispose();
    await expect(again.done).rejects.toBeInstanceOf(DialogueError);
  });
});
