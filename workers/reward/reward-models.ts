/**
 * The reward worker's two models, loaded through transformers.js pipelines: a sentence encoder
 * (feature-extraction, token states unpooled) for the personal head, and a sequence classifier
 * (text-classification) for the safety gate. Also the backend and dtype policy for them.
 */
import { toLoadProgress } from '../load-progress';
import {
  pipeline,
  Tensor,
  type FeatureExtractionPipeline,
  type ProgressInfo,
  type TextClassificationPipeline,
} from '@huggingface/transformers';
import type { Backend, BackendPreference, Dtype, LoadProgress } from '../shared/protocol';
import type { RewardModelSpec, SafetyScore } from '../shared/reward-protocol';
import { runsOnWebGpu, type WebGpuSupport } from '../shared/backend-choice';
import type { TokenStates } from './features';
import { safetyVerdict } from './safety';

export interface RewardBackendChoice {
  backend: Backend;
  encoderDtype: Dtype;
  safetyDtype: Dtype;
}

/**
 * Same rule as the dialogue worker: WebGPU when the browser has it (unless WASM was chosen),
 * else WASM. These encoders are small, so on WebGPU full precision (fp16 when the adapter has
 * shader-f16, else fp32) and on WASM q8, the fastest there.
 */
export function chooseRewardBackend(
  preference: BackendPreference,
  webgpu: WebGpuSupport,
  encoder: RewardModelSpec,
  safety: RewardModelSpec,
): RewardBackendChoice {
  const backend: Backend = runsOnWebGpu(preference, webgpu) ? 'webgpu' : 'wasm';
  const order: Dtype[] =
    backend === 'wasm' ? ['q8', 'fp32', 'fp16'] : webgpu.shaderF16 ? ['fp16', 'fp32', 'q8'] : ['fp32', 'q8'];
  return { backend, encoderDtype: pickDtype(order, encoder), safetyDtype: pickDtype(order, safety) };
}

function pickDtype(order: Dtype[], spec: RewardModelSpec): Dtype {
  const found = order.find((dtype) => spec.dtypes.includes(dtype));
  if (!found) throw new Error(`${spec.id} lists no dtype this backend can run (has: ${spec.dtypes.join(', ') || 'none'}).`);
  return found;
}

export interface ModelLoadOptions {
  /** 'webgpu' or 'wasm' in the browser; 'cpu' (onnxruntime-node) in Node tests and the bench. */
  device: Backend | 'cpu';
  dtype: Dtype;
  localOnly: boolean;
  onProgress?: (progress: LoadProgress) => void;
}

function progressCallback(onProgress: ModelLoadOptions['onProgress']) {
  return (info: ProgressInfo) => {
    const forwarded = toLoadProgress(info);
    if (forwarded) onProgress?.(forwarded);
  };
}


/** The sentence encoder: a text in, its last hidden states (one row per token) out. */
export class SentenceEncoder {
  private constructor(
    private readonly extractor: FeatureExtractionPipeline,
    readonly spec: RewardModelSpec,
    readonly hidden: number,
  ) {}

  static async load(spec: RewardModelSpec, options: ModelLoadOptions): Promise<SentenceEncoder> {
    const extractor = await pipeline('feature-extraction', spec.id, {
      device: options.device,
      dtype: options.dtype,
      local_files_only: options.localOnly,
      progress_callback: progressCallback(options.onProgress),
    });
    const probe = await tokenStates(extractor, 'hello');
    return new SentenceEncoder(extractor, spec, probe.hidden);
  }

  encode(text: string): Promise<TokenStates> {
    return tokenStates(this.extractor, text);
  }

  dispose(): Promise<void> {
    return this.extractor.dispose();
  }
}

async function tokenStates(extractor: FeatureExtractionPipeline, text: string): Promise<TokenStates> {
  const output = await extractor(text, { pooling: 'none', normalize: false });
  const [, tokens, hidden] = output.dims as [number, number, number];
  return { data: output.data as Float32Array, tokens, hidden };
}

/** The safety classifier: texts in, a verdict per text out (see safety.ts). */
export class SafetyClassifier {
  private constructor(
    private readonly classifier: TextClassificationPipeline,
    readonly spec: RewardModelSpec,
    private readonly labels: string[],
    private readonly multiLabel: boolean,
  ) {}

  static async load(spec: RewardModelSpec, options: ModelLoadOptions): Promise<SafetyClassifier> {
    const classifier = await pipeline('text-classification', spec.id, {
      device: options.device,
      dtype: options.dtype,
      local_files_only: options.localOnly,
      progress_callback: progressCallback(options.onProgress),
    });
    const config = classifier.model.config as unknown as { id2label?: Record<string, string>; problem_type?: string };
    const id2label = config.id2label ?? {};
    const labels = Object.keys(id2label)
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => id2label[key]!);
    const multiLabel = spec.multiLabel ?? config.problem_type === 'multi_label_classification';
    const unsafeLabels = spec.unsafeLabels ?? ['unsafe'];
    if (!unsafeLabels.some((label) => labels.includes(label))) {
      await classifier.dispose();
      throw new Error(`${spec.id} has none of the unsafe labels ${unsafeLabels.join(', ')} (it has ${labels.join(', ') || 'none'}).`);
    }
    return new SafetyClassifier(classifier, spec, labels, multiLabel);
  }

  /** One verdict per text; each text runs alone, so a long one does not pad the others. */
  async classify(texts: readonly string[], threshold: number): Promise<SafetyScore[]> {
    const unsafeLabels = this.spec.unsafeLabels ?? ['unsafe'];
    const scores: SafetyScore[] = [];
    for (const text of texts) {
      const inputs = this.classifier.tokenizer(text, { padding: true, truncation: true });
      const { logits } = (await this.classifier.model(inputs)) as { logits: Tensor };
      const row = Array.from(logits.data as Float32Array).slice(0, this.labels.length);
      scores.push(safetyVerdict(row, this.labels, unsafeLabels, this.multiLabel, threshold));
    }
    return scores;
  }

  dispose(): Promise<void> {
    return this.classifier.dispose();
  }
}
