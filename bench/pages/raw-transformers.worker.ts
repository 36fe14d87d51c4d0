/**
 * (b) of issue 7: transformers.js on its own, in a module worker, with the app's runtime files and
 * thread rule but none of the app (no KV reuse, no context fitting, no text streaming).
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  BaseStreamer,
  env,
  Tensor,
  type PreTrainedModel,
  type TextStreamer,
  type PreTrainedTokenizer,
} from '@huggingface/transformers';
import { InferenceSession } from 'onnxruntime-web/webgpu';
import {
  MODEL_FILE_BY_DTYPE,
  modelFileUrl,
  rates,
  type BenchRaw,
  type RawGenerateOptions,
  type RawGenerateResult,
  type RawLoadOptions,
  type RawLoadResult,
} from './bench-api';
import { runtimeWasmPaths, threadCount } from './runtime-files';
import { describeSessionOptions } from './transformers-session-options';
import { serveBench } from './serve-bench';
import { checkGenerateOptions, checkLoadOptions } from './validate-options';

const threads = configureTransformers();

function configureTransformers(): number {
  env.allowLocalModels = true;
  // A path, not a URL: transformers.js only looks "locally" for paths (see runtime-setup.ts).
  env.localModelPath = '/models/';
  env.allowRemoteModels = false;
  // This page has no service worker, so transformers.js' own Cache API cache is the model cache.
  env.useBrowserCache = true;
  // Load the ORT wasm the way the app does (it disables this cache because its service worker
  // precaches the wasm), and the way the raw ORT page does: straight from its URL.
  env.useWasmCache = false;
  const wasm = env.backends.onnx.wasm;
  if (!wasm) throw new Error('onnxruntime-web has no wasm backend settings');
  wasm.wasmPaths = runtimeWasmPaths();
  const count = threadCount();
  wasm.numThreads = count;
  return count;
}

/**
 * Notes the options transformers.js passes to onnxruntime (the same module instance it imports),
 * so the driver can check the raw ORT page builds the same ones. Costs one call per session.
 */
let lastSessionOptions = 'none';
const createSession = InferenceSession.create.bind(InferenceSession);
(InferenceSession as { create: (...args: unknown[]) => Promise<InferenceSession> }).create = (...args: unknown[]) => {
  // Described now: onnxruntime adds its own entries to the object it is given.
  const options = args.find((arg, index) => index > 0 && typeof arg === 'object' && arg !== null && !ArrayBuffer.isView(arg));
  lastSessionOptions = describeSessionOptions(options as object | undefined);
  return (createSession as (...a: unknown[]) => Promise<InferenceSession>)(...args);
};

interface Loaded {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
  options: RawLoadOptions;
}

let loaded: Loaded | null = null;

/** Whether transformers.js' cache already holds this model's weights (it keys them by URL). */
async function weightsCached(options: RawLoadOptions): Promise<boolean> {
  const cache = await caches.open(env.cacheKey);
  const wanted = new URL(modelFileUrl(options.model, options.dtype, self.location.href)).pathname;
  const keys = await cache.keys();
  return keys.some((request) => new URL(request.url).pathname === wanted);
}

async function load(raw: RawLoadOptions): Promise<RawLoadResult> {
  const options = checkLoadOptions(raw);
  if (options.levers) throw new Error('load(): levers are for the raw onnxruntime page; transformers.js sets its own session options');
  await dispose();
  const fromCache = await weightsCached(options);
  lastSessionOptions = 'none';
  const started = performance.now();
  try {
    // One after the other, as the app's DialogueModel.load does.
    const tokenizer = await AutoTokenizer.from_pretrained(options.model);
    const model = await AutoModelForCausalLM.from_pretrained(options.model, { device: options.device, dtype: options.dtype });
    loaded = { tokenizer, model, options };
  } catch (error) {
    throw new Error(
      `transformers.js could not load ${options.model} (${options.device}, ${options.dtype}: onnx/${MODEL_FILE_BY_DTYPE[options.dtype]}): ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
  const loadMs = performance.now() - started;
  return { loadMs, threads, device: options.device, dtype: options.dtype, fromCache, sessionOptions: lastSessionOptions };
}

/**
 * Notes when each generated token arrives; no decoding, so it costs next to nothing. generate()
 * first puts the prompt, then one put per new token.
 */
class TokenClock extends BaseStreamer {
  private puts = 0;
  firstTokenAt = 0;
  lastTokenAt = 0;

  override put(_value: bigint[][]): void {
    this.puts += 1;
    if (this.puts === 1) return;
    const now = performance.now();
    if (this.firstTokenAt === 0) this.firstTokenAt = now;
    this.lastTokenAt = now;
  }

  override end(): void {}
}

function int64Tensor(ids: readonly number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]);
}

async function generate(raw: RawGenerateOptions): Promise<RawGenerateResult> {
  const opts = checkGenerateOptions(raw);
  if (opts.continueConversation) throw new Error('generate(): continueConversation is for the raw onnxruntime page');
  if (!loaded) throw new Error('generate(): call load() first');
  const { tokenizer, model } = loaded;
  // The clock starts at the call: encoding promptText counts, as it would in an app.
  const started = performance.now();
  // The text is already chat-templated; adding BOS again would change the prompt.
  const promptIds = opts.promptIds ?? tokenizer.encode(opts.promptText!, { add_special_tokens: false });
  const clock = new TokenClock();
  const output = await model.generate({
    input_ids: int64Tensor(promptIds),
    attention_mask: int64Tensor(promptIds.map(() => 1)),
    // Everything the model's generation_config.json might switch on is set explicitly: greedy
    // unless sampling is asked for, exactly `newTokens` tokens (min_new_tokens masks EOS until
    // then), no penalty unless asked.
    do_sample: opts.sampling !== undefined,
    ...(opts.sampling ? { temperature: opts.sampling.temperature, top_p: opts.sampling.topP, top_k: opts.sampling.topK } : {}),
    num_beams: 1,
    max_new_tokens: opts.newTokens,
    min_new_tokens: opts.newTokens,
    repetition_penalty: opts.repetitionPenalty ?? 1,
    // 4.3.1's typings ask for a TextStreamer, but generate() only calls put() and end().
    streamer: clock as unknown as TextStreamer,
  });
  const finished = performance.now();
  const sequence = (output as Tensor).tolist()[0] as bigint[];
  const tokens = sequence.slice(promptIds.length).map(Number);
  if (clock.firstTokenAt === 0) throw new Error('generate(): transformers.js produced no token');
  // Decode speed ends at the last token, as in the raw ORT loop; totalMs includes generate()'s teardown.
  const figures = rates(promptIds.length, tokens.length, started, clock.firstTokenAt, clock.lastTokenAt);
  return { ...figures, totalMs: finished - started, promptTokens: promptIds.length, newTokens: tokens.length, promptIds: [...promptIds], tokens };
}

async function dispose(): Promise<void> {
  const current = loaded;
  loaded = null;
  await current?.model.dispose();
}

serveBench<BenchRaw>(self, { load, generate, dispose });
