import type { Backend, BackendPreference, ChatTurn, Dtype, ErrorKind, LoadProgress } from '../../workers/protocol';
import type {
  PersonalHeadState,
  RewardEvent,
  RewardModelSpec,
  RewardRequest,
  RewardScore,
  SafetyScore,
  TrainingExample,
} from '../../workers/reward-protocol';
import { listenToWorker } from '../inference/worker-events';

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

/** A request without its id (the client adds one). */
type RequestBody<R = RewardRequest> = R extends unknown ? Omit<R, 'id'> : never;

interface Pending {
  onEvent(event: RewardEvent): void;
  fail(error: RewardError): void;
}

export type RewardWorkerFactory = () => Worker;

const defaultFactory: RewardWorkerFactory = () =>
  new Worker(new URL('../../workers/reward.worker.ts', import.meta.url), { type: 'module', name: 'reward' });

/**
 * The app's handle on the reward worker (safety classifier + personal reward head). One request
 * id per call. When the worker dies, every call in flight fails with a `worker-crashed` error and
 * the next call starts a fresh worker — which has nothing loaded, so the app calls `load` again.
 */
export class RewardClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;

  constructor(private readonly createWorker: RewardWorkerFactory = defaultFactory) {}

  /**
   * Loads the encoder and the safety classifier. When WebGPU fails to load them (and WASM was not
   * asked for), it retries once on WASM in a fresh worker, as the dialogue model does.
   */
  async load(options: RewardLoadOptions): Promise<RewardReady> {
    try {
      return await this.loadOnce(options, options.backend);
    } catch (error) {
      if (!(error instanceof RewardError) || error.kind !== 'backend' || options.backend === 'wasm') throw error;
      this.restartWorker();
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

  /** Starts the head over, untrained; resolves with the head to store. */
  resetHead(): Promise<PersonalHeadState> {
    return this.call({ type: 'reset-head' }, headOf);
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.failAll(new RewardError('worker-crashed', 'The reward worker was shut down.'));
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

  /** Sends one request; `result` turns the event that answers it into the call's value. */
  private call<T>(body: RequestBody, result: (event: RewardEvent) => T | undefined): Promise<T> {
    this.nextId += 1;
    const id = `reward-${this.nextId}`;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, {
        onEvent: (event) => {
          if (event.type === 'error') {
            this.pending.delete(id);
            reject(new RewardError(event.kind, event.message));
            return;
          }
          const value = result(event);
          if (value === undefined) return;
          this.pending.delete(id);
          resolve(value);
        },
        fail: reject,
      });
      this.ensureWorker().postMessage({ ...body, id } as RewardRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    listenToWorker<RewardEvent>(worker, (event) => this.pending.get(event.id)?.onEvent(event), (reason) => this.handleCrash(reason));
    this.worker = worker;
    return worker;
  }

  private restartWorker(): void {
    this.worker?.terminate();
    this.worker = null;
  }

  private handleCrash(reason: string): void {
    this.restartWorker();
    this.failAll(
      new RewardError('worker-crashed', `The reward worker crashed (${reason}). A new one starts with the next request; load the reward models again.`),
    );
  }

  private failAll(error: RewardError): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.fail(error);
  }
}

function headOf(event: RewardEvent): PersonalHeadState | undefined {
  return event.type === 'head' ? event.head : undefined;
}
