/** The shared worker-RPC layer (workers/shared/rpc): the worker's queue and the crash policy. */
import { describe, expect, it } from 'vitest';
import { CrashRecovery } from '../../workers/shared/rpc/crash-recovery';
import { RequestQueue } from '../../workers/shared/rpc/serve-requests';

type Req = { id: string; type: 'generate' | 'interrupt' | 'load' };

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the worker’s request queue', () => {
  it('runs one request at a time, in arrival order, but a stop reaches the reply it stops at once', async () => {
    const log: string[] = [];
    const first = deferred();
    const queue = new RequestQueue<Req>(
      {
        handle: async (request) => {
          log.push(`start ${request.id}`);
          if (request.id === 'g1') await first.promise;
          log.push(`end ${request.id}`);
        },
        immediate: (request) => request.type === 'interrupt',
        describe: () => ({ kind: 'unknown', message: '' }),
      },
      () => undefined,
    );
    const g1 = queue.accept({ id: 'g1', type: 'generate' });
    const g2 = queue.accept({ id: 'g2', type: 'generate' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await queue.accept({ id: 'i1', type: 'interrupt' });
    expect(log).toEqual(['start g1', 'start i1', 'end i1']);
    first.resolve();
    await Promise.all([g1, g2]);
    expect(log).toEqual(['start g1', 'start i1', 'end i1', 'end g1', 'start g2', 'end g2']);
  });

  it('answers a failed request with an error event for its id and carries on with the next', async () => {
    const events: unknown[] = [];
    const queue = new RequestQueue<Req>(
      {
        handle: async (request) => {
          if (request.id === 'bad') throw new Error('boom');
        },
        describe: (error) => ({ kind: 'generation', message: (error as Error).message }),
      },
      (event) => events.push(event),
    );
    await queue.accept({ id: 'bad', type: 'generate' });
    await queue.accept({ id: 'good', type: 'generate' });
    expect(events).toEqual([{ type: 'error', id: 'bad', kind: 'generation', message: 'boom' }]);
  });
});

describe('crash recovery', () => {
  it('retries at once, then after doubling waits, and gives up after five crashes in two minutes', () => {
    let now = 0;
    const recovery = new CrashRecovery(() => now);
    const steps = [0, 1, 2, 3, 4].map(() => {
      now += 1_000;
      return recovery.crashed();
    });
    expect(steps).toEqual([{ retryInMs: 0 }, { retryInMs: 1_000 }, { retryInMs: 2_000 }, { retryInMs: 4_000 }, { giveUp: true }]);
  });

  it('forgets crashes older than the window: an occasional crash is always retried', () => {
    let now = 0;
    const recovery = new CrashRecovery(() => now);
    for (let i = 0; i < 10; i++) {
      now += 200_000;
      expect(recovery.crashed()).toEqual({ retryInMs: 0 });
    }
  });
});
