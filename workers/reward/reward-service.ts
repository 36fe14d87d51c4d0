/**
 * The reward worker's message handling, free of worker globals so Node tests (device 'cpu')
 * run it as the worker does. One request at a time, in arrival order: a score that follows a
 * train sees the trained head.
 */
import type { Backend, Dtype, LoadProgress } from '../shared/protocol';
import type { PersonalHeadState, RewardEvent, RewardModelSpec, RewardRequest } from '../shared/reward-protocol';
import type { WebGpuSupport } from '../shared/backend-choice';
import { classifyError, WebGpuLoadError } from '../dialogue/errors';
import { RequestQueue } from '../shared/rpc/serve-requests';
import { featureSize, replyFeatures } from './features';
import { adoptHead, emptyHead, exampleWeight, forgetExample, HeadScorer, priorFits, trainHead, withPrior } from './personal-head';
import { chooseRewardBackend, SafetyClassifier, SentenceEncoder, type RewardBackendChoice } from './reward-models';

type Post = (event: RewardEvent) => void;
type Req<T extends RewardRequest['type']> = Extract<RewardRequest, { type: T }>;

/** What the browser worker plugs in; Node tests leave it out and run on onnxruntime-node's CPU. */
export interface RewardRuntime {
  detectWebGpu(): Promise<WebGpuSupport>;
  /** Points transformers.js at the model's host (or forbids the Hub for a local model) before it loads. */
  beforeLoad(spec: RewardModelSpec): void;
  /** The download guard (see dialogue/download-guard.ts): a failed load leaves nothing behind. */
  guard?: { begin(): void; fail(): Promise<void>; readonly writeFailure: unknown };
}

interface Loaded {
  encoder: SentenceEncoder;
  safety: SafetyClassifier;
  choice: RewardBackendChoice;
}

export class RewardService {
  private models: Loaded | null = null;
  private head: PersonalHeadState | null = null;
  private scorer: HeadScorer | null = null;
  private readonly queue = new RequestQueue<RewardRequest & { post: Post }>(
    { handle: (request) => this.dispatch(request, request.post), describe: classifyError },
    (event, request) => request.post(event),
  );

  /** `runtime` null: Node, device 'cpu', local models only. */
  constructor(private readonly runtime: RewardRuntime | null = null) {}

  /**
   * Handles one request after those before it (the shared RequestQueue); every failure becomes an
   * `error` event for its id (never a rejection).
   */
  handle(request: RewardRequest, post: Post): Promise<void> {
    return this.queue.accept({ ...request, post });
  }

  /** The head the worker holds now (null before a load). */
  get headState(): PersonalHeadState | null {
    return this.head;
  }

  private async dispatch(request: RewardRequest, post: Post): Promise<void> {
    switch (request.type) {
      case 'load':
        return this.load(request, post);
      case 'classify': {
        const scores = await this.loaded().safety.classify(request.texts, request.threshold);
        return post({ type: 'classified', id: request.id, scores });
      }
      case 'score': {
        const { encoder } = this.loaded();
        const features = await replyFeatures((text) => encoder.encode(text), request.context, request.replies);
        const scorer = this.currentScorer();
        return post({ type: 'scored', id: request.id, scores: features.map((f) => scorer.score(f)) });
      }
      case 'train': {
        const { encoder } = this.loaded();
        const { example } = request;
        const [features] = await replyFeatures((text) => encoder.encode(text), example.context, [example.reply]);
        this.setHead(trainHead(this.requireHead(), {
          messageId: example.messageId,
          features: features!,
          liked: example.liked,
          weight: exampleWeight(example),
        }));
        return post({ type: 'head', id: request.id, head: this.head! });
      }
      case 'forget':
        this.setHead(forgetExample(this.requireHead(), request.messageId));
        return post({ type: 'head', id: request.id, head: this.head! });
      case 'reset-head': {
        const { encoder } = this.loaded();
        const prior = request.keepPrior ? (this.requireHead().prior ?? null) : null;
        this.setHead(emptyHead(encoder.spec.id, featureSize(encoder.hidden), prior));
        return post({ type: 'head', id: request.id, head: this.head! });
      }
      case 'set-prior': {
        const { encoder } = this.loaded();
        const trainedFor = request.prior?.encoderId;
        if (request.prior && !priorFits(request.prior, encoder.spec.id, featureSize(encoder.hidden))) {
          throw new Error(`The community model was trained for ${trainedFor}; the reward model uses ${encoder.spec.id}.`);
        }
        this.setHead(withPrior(this.requireHead(), request.prior));
        return post({ type: 'head', id: request.id, head: this.head! });
      }
      case 'use-head': {
        const { encoder } = this.loaded();
        this.setHead(adoptHead(request.head, encoder.spec.id, featureSize(encoder.hidden)));
        return post({ type: 'head', id: request.id, head: this.head! });
      }
    }
  }

  private async load(request: Req<'load'>, post: Post): Promise<void> {
    await this.disposeModels();
    const guard = this.runtime?.guard;
    guard?.begin();
    let encoder: SentenceEncoder | null = null;
    let safety: SafetyClassifier | null = null;
    try {
      const choice = this.runtime
        ? chooseRewardBackend(request.backend, await this.runtime.detectWebGpu(), request.encoder, request.safety)
        : chooseRewardBackend('wasm', { available: false, shaderF16: false, reason: null }, request.encoder, request.safety);
      const device: Backend | 'cpu' = this.runtime ? choice.backend : 'cpu';
      const onProgress = (progress: LoadProgress) => post({ type: 'progress', id: request.id, progress });
      const loadOne = async <T>(spec: RewardModelSpec, dtype: Dtype, load: typeof SentenceEncoder.load | typeof SafetyClassifier.load): Promise<T> => {
        this.runtime?.beforeLoad(spec);
        try {
          return (await load(spec, { device, dtype, localOnly: spec.local || !this.runtime, onProgress })) as T;
        } catch (error) {
          // As in the dialogue worker: after a failed WebGPU session the app retries on WASM in a fresh worker.
          if (device === 'webgpu') throw new WebGpuLoadError(classifyError(error).message);
          throw error;
        }
      };
      encoder = await loadOne<SentenceEncoder>(request.encoder, choice.encoderDtype, SentenceEncoder.load);
      safety = await loadOne<SafetyClassifier>(request.safety, choice.safetyDtype, SafetyClassifier.load);
      if (guard?.writeFailure) throw guard.writeFailure;
      this.models = { encoder, safety, choice };
      this.setHead(adoptHead(request.head, request.encoder.id, featureSize(encoder.hidden)));
      post({
        type: 'ready',
        id: request.id,
        backend: choice.backend,
        encoderDtype: choice.encoderDtype,
        safetyDtype: choice.safetyDtype,
        head: this.head!,
      });
    } catch (error) {
      await Promise.allSettled([encoder?.dispose(), safety?.dispose()]);
      await guard?.fail();
      throw error;
    }
  }

  private loaded(): Loaded {
    if (!this.models) throw new Error('The reward models are not loaded yet.');
    return this.models;
  }

  private requireHead(): PersonalHeadState {
    this.loaded();
    return this.head!;
  }

  private currentScorer(): HeadScorer {
    this.scorer ??= new HeadScorer(this.requireHead());
    return this.scorer;
  }

  private setHead(head: PersonalHeadState): void {
    this.head = head;
    this.scorer = null;
  }

  private async disposeModels(): Promise<void> {
    const models = this.models;
    this.models = null;
    this.head = null;
    this.scorer = null;
    if (models) await Promise.allSettled([models.encoder.dispose(), models.safety.dispose()]);
  }
}
