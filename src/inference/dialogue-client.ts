import type {
  BackendPreference,
  ChatTurn,
  DialogueEvent,
  DialogueRequest,
  ErrorKind,
  LoadProgress,
  ModelSpec,
  SamplingSettings,
} from '../../workers/protocol';
import { listenToWorker } from './worker-events';

export type ReadyInfo = Extract<DialogueEvent, { type: 'ready' }>;
/** How a load takes part in measuring the backends (see DialogueRequest 'load'). */
export type LoadMeasuring = Pick<Extract<DialogueRequest, { type: 'load' }>, 'measured' | 'measureSteps'>;
export type DoneInfo = Extract<DialogueEvent, { type: 'done' }>;

export class DialogueError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'DialogueError';
  }
}

export interface GenerateParams {
  conversationId: string;
  systemPrompt: string;
  turns: ChatTurn[];
  sampling: SamplingSettings;
  /** Best-of-N: replies to sample in one batched call (1–8; default 1). See DialogueRequest. */
  candidates?: number;
}

/** Generation steps done of a best-of-N batch, out of `maxTokens` (the sampling's maxNewTokens). */
export type CandidatesProgress = (tokens: number, maxTokens: number) => void;

export interface RunningReply {
  /** Resolves with the whole reply (partial when stopped); rejects with a DialogueError. */
  done: Promise<DoneInfo>;
  stop(): void;
}

interface Pending {
  onEvent(event: DialogueEvent): void;
  fail(error: DialogueError): void;
}

export type WorkerFactory = () => Worker;

/** Shared memory exists only on a cross-origin isolated page; elsewhere the message must do. */
function createStopFlag(): Int32Array | null {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return null;
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../../workers/dialogue.worker.ts', import.meta.url), { type: 'module', name: 'dialogue' });

/**
 * The app's handle on the dialogue worker. One request id per call; events are routed back to
 * the call that made them. When the worker dies, every call in flight fails with a
 * `worker-crashed` error and the next call starts a fresh worker.
 */
export class DialogueClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;
  private readonly crashListeners = new Set<(error: DialogueError) => void>();

  constructor(private readonly createWorker: WorkerFactory = defaultFactory) {}

  /** Called when the worker crashed; the UI shows the message and loads the model again. */
  onCrash(listener: (error: DialogueError) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** `offline`: load only from the browser cache, never from the model host. */
  load(
    model: ModelSpec,
    backend: BackendPreference,
    onProgress: (progress: LoadProgress) => void,
    offline = false,
    measuring: LoadMeasuring = {},
  ): Promise<ReadyInfo> {
    const id = this.newId();
    return new Promise((resolve, reject) => {
      this.send({ type: 'load', id, model, backend, offline, ...measuring }, {
        onEvent: (event) => {
          if (event.type === 'progress') onProgress(event.progress);
          else if (event.type === 'ready') this.settle(id, () => resolve(event));
          else if (event.type === 'error') this.settle(id, () => reject(new DialogueError(event.kind, event.message)));
        },
        fail: reject,
      });
    });
  }

  /**
   * `onText` gets the streamed text of a single reply; a batch of candidates streams no text and
   * reports its steps to `onCandidatesProgress` instead. `done` carries every candidate.
   */
  generate(
    params: GenerateParams,
    onText: (delta: string) => void,
    onCandidatesProgress?: CandidatesProgress,
  ): RunningReply {
    const id = this.newId();
    const stopFlag = createStopFlag();
    const done = new Promise<DoneInfo>((resolve, reject) => {
      this.send({ type: 'generate', id, ...params, stopFlag }, {
        onEvent: (event) => {
          if (event.type === 'token') onText(event.text);
          else if (event.type === 'candidates-progress') onCandidatesProgress?.(event.tokens, event.maxTokens);
          else if (event.type === 'done') this.settle(id, () => resolve(event));
          else if (event.type === 'error') this.settle(id, () => reject(new DialogueError(event.kind, event.message)));
        },
        fail: reject,
      });
    });
    return {
      done,
      stop: () => {
        if (stopFlag) Atomics.store(stopFlag, 0, 1);
        this.worker?.postMessage({ type: 'interrupt', id } satisfies DialogueRequest);
      },
    };
  }

  dispose(): void {
    this.worker?.terminate();
    this.worker = null;
    this.failAll(new DialogueError('worker-crashed', 'The model worker was shut down.'));
  }

  private newId(): string {
    this.nextId += 1;
    return `req-${this.nextId}`;
  }

  private send(request: DialogueRequest, pending: Pending): void {
    this.pending.set(request.id, pending);
    this.ensureWorker().postMessage(request);
  }

  private settle(id: string, finish: () => void): void {
    this.pending.delete(id);
    finish();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.createWorker();
    listenToWorker<DialogueEvent>(worker, (event) => this.pending.get(event.id)?.onEvent(event), (reason) => this.handleCrash(reason));
    this.worker = worker;
    return worker;
  }

  private handleCrash(reason: string): void {
    this.worker?.terminate();
    this.worker = null;
    const error = new DialogueError(
      'worker-crashed',
      `The model worker crashed (${reason}). A new one has been started; the model is loading again.`,
    );
    this.failAll(error);
    for (const listener of this.crashListeners) listener(error);
  }

  private failAll(error: DialogueError): void {
    const calls = [...this.pending.values()];
    this.pending.clear();
    for (const call of calls) call.fail(error);
  }
}
