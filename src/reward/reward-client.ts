import type { Backend, BackendPreference, ChatTurn, Dtype, ErrorKind, LoadProgress } from '../../workers/shared/protocol';
import type {
  PersonalHeadState,
  RewardEvent,
  RewardModelSpec,
  RewardRequest,
  RewardScore,
  SafetyScore,
  TrainingExample,
} from '../../workers/shared/reward-protocol';
import type { CommunityRewardHead } from '../../workers/shared/community-artifact';
import { WorkerRpc, type RequestBody } from '../../workers/shared/rpc/worker-rpc';

export class RewardError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'RewardError';
  }
}

export interface RewardLoadOptions {
  encoder: RewardModelSpec;
  safety: RewardModelSpec;
  backend: BackendPreference;
  /** The head stored in IndexedDB, or null; a head for another encoder is replaced by a fresh one. */
  head: PersonalHeadState | null;
  onProgress?: (progress: LoadProgress) => void;
}

export interface RewardReady {
  backend: Backend;
  encoderDtype: Dtype;
  safetyDtype: Dtype;
  /** The head the worker uses now: store it (it may be a fresh one). */
  head: PersonalHeadState;
}

export type RewardWorkerFactory = () => Worker;

const defaultFactory: RewardWorkerFactory = () =>
  new Worker(new URL('../../workers/reward.worker.ts', import.meta.url), { type: 'module', name: 'reward' });

/**
 * The app's handle on the reward worker (safety classifier + personal reward head), on the shared
 * worker-RPC layer. When the worker dies, every call in flight fails with a `worker-crashed`
 * error and crash listeners hear of it; the next call starts a fresh worker, which has nothing
 * loaded, so the store loads the models again (RewardStore).
 */
export class RewardClient {
  private readonly rpc: WorkerRpc<RewardRequest, RewardEvent>;

  constructor(createWorker: RewardWorkerFactory = defaultFactory) {
    this.rpc = new WorkerRpc({ name: 'reward', create: createWorker, error: (kind, message) => new RewardError(kind, message) });
  }

  /** Called when the worker crashed (not when it was shut down on purpose). */
  onCrash(listener: (error: RewardError) => void): () => void {
    return this.rpc.onCrash((error) => listener(error as RewardError));
  }

  /**
   * Loads the encoder and the safety classifier. When WebGPU fails to load them (and WASM was not
   * asked for), it retries once on WASM in a fresh worker, as the dialogue model does.
   */
  async load(options: RewardLoadOptions): Promise<RewardReady> {
    try {
      return await this.loadOnce(options, options.backend);
    } catch (error) {
      if (!(error instanceof RewardError) || error.kind !== 'backend' || options.backend === 'wasm') throw error;
      this.rpc.restart();
      return this.loadOnce(options, 'wasm');
    }
  }

  classify(texts: string[], threshold: number): Promise<SafetyScore[]> {
    return this.call({ type: 'classify', texts, threshold }, (event) => (event.type === 'classified' ? event.scores : undefined));
  }

  score(context: ChatTurn[], replies: string[]): Promise<RewardScore[]> {
    return this.call({ type: 'score', context, replies }, (event) => (event.type === 'scored' ? event.scores : undefined));
  }

  /** Learns from one new or changed rating; resolves with the head to store. */
  train(example: TrainingExample): Promise<PersonalHeadState> {
    return this.call({ type: 'train', example }, headOf);
  }

  /** Forgets a withdrawn rating; resolves with the head to store. */
  forget(messageId: string): Promise<PersonalHeadState> {
    return this.call({ type: 'forget', messageId }, headOf);
  }

  /** Starts the head over, untrained (on the community prior when `keepPrior`); resolves with the head to store. */
  resetHead(keepPrior = false): Promise<PersonalHeadState> {
    return this.call({ type: 'reset-head', keepPrior }, headOf);
  }

  /** Puts a community head under the user's ratings (or removes it); resolves with the head to store. */
  setPrior(prior: CommunityRewardHead | null): Promise<PersonalHeadState> {
    return this.call({ type: 'set-prior', prior }, headOf);
  }

  /** Replaces the head the worker holds (with a restored one); resolves with the head it uses now. */
  useHead(head: PersonalHeadState | null): Promise<PersonalHeadState> {
    return this.call({ type: 'use-head', head }, headOf);
  }

  dispose(): void {
    this.rpc.dispose();
  }

  private loadOnce(options: RewardLoadOptions, backend: BackendPreference): Promise<RewardReady> {
    const { encoder, safety, head, onProgress } = options;
    return this.call({ type: 'load', encoder, safety, backend, head }, (event) => {
      if (event.type === 'progress') {
        onProgress?.(event.progress);
        return undefined;
      }
      if (event.type !== 'ready') return undefined;
      return { backend: event.backend, encoderDtype: event.encoderDtype, safetyDtype: event.safetyDtype, head: event.head };
    });
  }

  private call<T>(body: RequestBody<RewardRequest>, answer: (event: RewardEvent) => T | undefined): Promise<T> {
    return this.rpc.request(body, answer).result;
  }
}

function headOf(event: RewardEvent): PersonalHeadState | undefined {
  return event.type === 'head' ? event.head : undefined;
}
