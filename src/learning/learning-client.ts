import type { ErrorKind } from '../../workers/shared/protocol';
import type { LearningEvent, LearningRequest, LogitAdapterState, RatedReply } from '../../workers/shared/learning-protocol';
import { WorkerRpc } from '../../workers/shared/rpc/worker-rpc';

export class LearningError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'LearningError';
  }
}

export interface TrainedAdapter {
  adapter: LogitAdapterState;
  steps: number;
  ms: number;
}

const defaultFactory = (): Worker =>
  new Worker(new URL('../../workers/learning.worker.ts', import.meta.url), { type: 'module', name: 'learning' });

/** The app's handle on the learning worker (it trains the personal generation adapter), on the shared worker-RPC layer. */
export class LearningClient {
  private readonly rpc: WorkerRpc<LearningRequest, LearningEvent>;

  constructor(createWorker: () => Worker = defaultFactory) {
    this.rpc = new WorkerRpc({ name: 'learning', create: createWorker, error: (kind, message) => new LearningError(kind, message) });
  }

  /** Retrains `base` (null: a new adapter for the model) from fresh on `examples`. */
  train(base: LogitAdapterState | null, modelId: string, vocabSize: number, examples: RatedReply[]): Promise<TrainedAdapter> {
    return this.rpc.request({ type: 'train', base, modelId, vocabSize, examples }, (event) =>
      event.type === 'trained' ? { adapter: event.adapter, steps: event.steps, ms: event.ms } : undefined,
    ).result;
  }

  dispose(): void {
    this.rpc.dispose();
  }
}
