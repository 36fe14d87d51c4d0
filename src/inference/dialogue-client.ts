import type {
  BackendPreference,
  ChatTurn,
  DialogueEvent,
  DialogueRequest,
  ErrorKind,
  LoadProgress,
  ModelSpec,
  SamplingSettings,
} from '../../workers/shared/protocol';
import { WorkerRpc } from '../../workers/shared/rpc/worker-rpc';
import type { LogitAdapterState, RatedReply, RatedReplyRequest } from '../../workers/shared/learning-protocol';

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

export type WorkerFactory = () => Worker;

/** Shared memory exists only on a cross-origin isolated page; elsewhere the message must do. */
function createStopFlag(): Int32Array | null {
  if (!globalThis.crossOriginIsolated || typeof SharedArrayBuffer === 'undefined') return null;
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

const defaultFactory: WorkerFactory = () =>
  new Worker(new URL('../../workers/dialogue.worker.ts', import.meta.url), { type: 'module', name: 'dialogue' });

/**
 * The app's handle on the dialogue worker, on the shared worker-RPC layer (WorkerRpc): one id per
 * call, events routed to the call that made them. When the worker dies, every call in flight fails
 * with a `worker-crashed` error, crash listeners hear of it, and the next call starts a fresh worker.
 */
export class DialogueClient {
  private readonly rpc: WorkerRpc<DialogueRequest, DialogueEvent>;

  constructor(createWorker: WorkerFactory = defaultFactory) {
    this.rpc = new WorkerRpc({ name: 'model', create: createWorker, error: (kind, message) => new DialogueError(kind, message) });
  }

  /** Called when the worker crashed; the UI shows the message and loads the model again. */
  onCrash(listener: (error: DialogueError) => void): () => void {
    return this.rpc.onCrash((error) => listener(error as DialogueError));
  }

  /** `offline`: load only from the browser cache, never from the model host. */
  load(
    model: ModelSpec,
    backend: BackendPreference,
    onProgress: (progress: LoadProgress) => void,
    offline = false,
    measuring: LoadMeasuring = {},
  ): Promise<ReadyInfo> {
    return this.rpc.request({ type: 'load', model, backend, offline, ...measuring }, (event) => {
      if (event.type === 'progress') onProgress(event.progress);
      return event.type === 'ready' ? event : undefined;
    }).result;
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
    const stopFlag = createStopFlag();
    const { id, result } = this.rpc.request({ type: 'generate', ...params, stopFlag }, (event) => {
      if (event.type === 'token') onText(event.text);
      else if (event.type === 'candidates-progress') onCandidatesProgress?.(event.tokens, event.maxTokens);
      return event.type === 'done' ? event : undefined;
    });
    return {
      done: result,
      stop: () => {
        if (stopFlag) Atomics.store(stopFlag, 0, 1);
        this.rpc.notify({ type: 'interrupt', id });
      },
    };
  }

  /**
   * The frozen model's logits along a rated reply, for the adapter's training (one forward pass in
   * the worker; it waits behind a reply in progress, so call it when none is).
   */
  ratedReply(example: RatedReplyRequest): Promise<{ example: RatedReply; vocabSize: number }> {
    return this.rpc.request({ type: 'rated-logits', example }, (event) =>
      event.type === 'rated-logits' ? { example: event.example, vocabSize: event.vocabSize } : undefined,
    ).result;
  }

  /** Applies this adapter to every generation from now on (null: none); resolves with whether it applies. */
  useAdapter(adapter: LogitAdapterState | null): Promise<boolean> {
    return this.rpc.request({ type: 'use-adapter', adapter }, (event) => (event.type === 'adapter-used' ? event.active : undefined)).result;
  }

  /** Ends the worker (in-flight calls fail, with `reason` when given); the next call starts a fresh one with nothing loaded. */
  dispose(reason?: string): void {
    if (reason) this.rpc.restart(reason);
    else this.rpc.dispose();
  }
}
