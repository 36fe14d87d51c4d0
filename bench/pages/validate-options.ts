/** Checks the driver's arguments up front, so a typo fails with a clear message, not deep in a runtime. */
import { MODEL_FILE_BY_DTYPE, type RawDtype, type RawGenerateOptions, type RawLoadOptions } from './bench-api';

export function checkLoadOptions(opts: RawLoadOptions | undefined): RawLoadOptions {
  if (!opts || typeof opts !== 'object') throw new Error('load() needs { model, device, dtype }');
  if (typeof opts.model !== 'string' || !/^[\w.-]+$/.test(opts.model)) {
    throw new Error(`load(): model must be a folder name under /models/ (got ${JSON.stringify(opts.model)})`);
  }
  if (opts.device !== 'wasm' && opts.device !== 'webgpu') {
    throw new Error(`load(): device must be 'wasm' or 'webgpu' (got ${JSON.stringify(opts.device)})`);
  }
  if (!Object.hasOwn(MODEL_FILE_BY_DTYPE, opts.dtype)) {
    throw new Error(`load(): dtype must be one of ${Object.keys(MODEL_FILE_BY_DTYPE).join(', ')} (got ${JSON.stringify(opts.dtype)})`);
  }
  const levers = opts.levers;
  if (levers !== undefined) {
    const levels = ['disabled', 'basic', 'extended', 'all'];
    if (typeof levers !== 'object' || levers === null) throw new Error('load(): levers must be an object');
    if (levers.graphOptimizationLevel !== undefined && !levels.includes(levers.graphOptimizationLevel)) {
      throw new Error(`load(): levers.graphOptimizationLevel must be one of ${levels.join(', ')} (got ${JSON.stringify(levers.graphOptimizationLevel)})`);
    }
    if (levers.allowSpinning !== undefined && typeof levers.allowSpinning !== 'boolean') {
      throw new Error(`load(): levers.allowSpinning must be true or false (got ${JSON.stringify(levers.allowSpinning)})`);
    }
  }
  return { model: opts.model, device: opts.device, dtype: opts.dtype as RawDtype, ...(levers ? { levers } : {}) };
}

export function checkGenerateOptions(opts: RawGenerateOptions | undefined): RawGenerateOptions {
  if (!opts || typeof opts !== 'object') throw new Error('generate() needs { promptText | promptIds, newTokens }');
  if (!Number.isInteger(opts.newTokens) || opts.newTokens < 1) {
    throw new Error(`generate(): newTokens must be a positive integer (got ${JSON.stringify(opts.newTokens)})`);
  }
  const hasText = opts.promptText !== undefined;
  const hasIds = opts.promptIds !== undefined;
  if (hasText === hasIds) throw new Error('generate(): give exactly one of promptText and promptIds');
  if (hasText && (typeof opts.promptText !== 'string' || opts.promptText.length === 0)) {
    throw new Error('generate(): promptText must be a non-empty string');
  }
  if (hasIds && !isTokenIdList(opts.promptIds)) {
    throw new Error('generate(): promptIds must be a non-empty array of non-negative integers');
  }
  if (opts.repetitionPenalty !== undefined && !(Number.isFinite(opts.repetitionPenalty) && opts.repetitionPenalty > 0)) {
    throw new Error(`generate(): repetitionPenalty must be a positive number (got ${JSON.stringify(opts.repetitionPenalty)})`);
  }
  const sampling = opts.sampling;
  if (sampling !== undefined && !(sampling.temperature > 0 && sampling.topP > 0 && sampling.topP <= 1 && Number.isInteger(sampling.topK) && sampling.topK >= 0)) {
    throw new Error(`generate(): sampling needs temperature > 0, 0 < topP ≤ 1 and a whole topK ≥ 0 (got ${JSON.stringify(sampling)})`);
  }
  if (opts.continueConversation !== undefined && typeof opts.continueConversation !== 'boolean') {
    throw new Error(`generate(): continueConversation must be true or false (got ${JSON.stringify(opts.continueConversation)})`);
  }
  return opts;
}

function isTokenIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((id) => Number.isInteger(id) && id >= 0);
}
