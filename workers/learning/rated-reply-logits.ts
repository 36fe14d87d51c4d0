/**
 * What the generation adapter's training needs from one rated reply (issue 18): the frozen chat
 * model's logits along it, kept sparse (`sparse-logits.ts`), and its context's features. One
 * forward pass over the end of the rendered context and the reply, with no KV cache.
 */
import { Tensor } from '@huggingface/transformers';
import type { RatedReplyLogits } from '../shared/learning-protocol';
import type { ChatTurn } from '../shared/protocol';
import { contextText } from '../reward/features';
import { contextFeatures } from './context-features';
import { packReplyLogits } from './sparse-logits';

/** Positions one pass sees at most (prompt tail + reply): 320 × vocab floats (63 MB at SmolLM2's 49k). */
export const LEARN_WINDOW_TOKENS = 320;
/** A rated reply's tokens learned from at most (the start of a long reply says the most). */
export const LEARN_REPLY_TOKENS = 128;
/** Logits kept per reply position: 8·32 + 12 bytes a token in IndexedDB. */
export const LEARN_TOP_K = 32;

export interface RatedReplyRequest {
  systemPrompt: string;
  /** The conversation up to the rated reply. */
  turns: ChatTurn[];
  reply: string;
  /** Learn the end-of-turn token after the reply too (a good reply ended at the right place)... */
  includeStop: boolean;
  /**
   * ...unless the reply was cut rather than ended: it has about this many tokens (0: it was
   * stopped early). Every liked reply cut at the token limit taught "end here" before, and
   * `npm run eval:learn` showed replies shrink to nothing after 10–50 such ratings. Null: never cut.
   */
  cutAtTokens?: number | null;
  /**
   * The temperature the reply was sampled at (0 or absent: greedy, taken as 1). The logits are
   * divided by it, so the adapter learns the distribution as sampled (see `adapter-processor.ts`).
   */
  temperature?: number;
}

/** Re-encoding a generated reply can shift its token count by a token or two. */
const CUT_MARGIN_TOKENS = 2;

/** Whether the end-of-turn token after a reply of `replyTokens` is learned. */
export function learnsStop(request: Pick<RatedReplyRequest, 'includeStop' | 'cutAtTokens'>, replyTokens: number): boolean {
  if (!request.includeStop) return false;
  const cut = request.cutAtTokens;
  return cut === null || cut === undefined || replyTokens < cut - CUT_MARGIN_TOKENS;
}

/** The loaded model's parts the pass needs (DialogueModel supplies them). */
export interface ForwardParts {
  /** The model's forward pass over whole sequences (no cache given). */
  forward(inputs: Record<string, Tensor>): Promise<Record<string, Tensor>>;
  /** The chat template, with the assistant's turn opened. */
  render(turns: ChatTurn[]): string;
  encode(text: string): number[];
  endOfTurnId: number | null;
}

function int64Row(values: number[]): Tensor {
  return new Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), [1, values.length]);
}

export async function ratedReplyLogits(parts: ForwardParts, request: RatedReplyRequest): Promise<RatedReplyLogits> {
  const system: ChatTurn[] = request.systemPrompt.trim() ? [{ role: 'system', content: request.systemPrompt }] : [];
  const promptAll = parts.encode(parts.render([...system, ...request.turns]));
  const replyAll = parts.encode(request.reply);
  const replyIds = replyAll.slice(0, LEARN_REPLY_TOKENS);
  if (learnsStop(request, replyAll.length) && replyIds.length < LEARN_REPLY_TOKENS && parts.endOfTurnId !== null) replyIds.push(parts.endOfTurnId);
  if (replyIds.length === 0) throw new Error('The rated reply is empty: there is nothing to learn from.');
  const promptIds = promptAll.slice(-Math.max(1, LEARN_WINDOW_TOKENS - replyIds.length));
  const ids = [...promptIds, ...replyIds];
  const output = await parts.forward({ input_ids: int64Row(ids), attention_mask: int64Row(ids.map(() => 1)) });
  try {
    const logits = output.logits;
    if (!logits) throw new Error('The model gave no logits.');
    const vocab = logits.dims.at(-1)!;
    const data = (logits.type === 'float32' ? logits.data : logits.to('float32').data) as Float32Array;
    // Row i predicts id i + 1: the reply's tokens are predicted by rows P − 1 … L − 2.
    const rows = data.subarray((promptIds.length - 1) * vocab, (ids.length - 1) * vocab);
    const t = request.temperature ?? 0;
    // In place: the output is dropped after packing.
    if (t > 0 && t !== 1) for (let i = 0; i < rows.length; i++) rows[i] = rows[i]! / t;
    return {
      logits: packReplyLogits(rows, vocab, Int32Array.from(replyIds), LEARN_TOP_K),
      features: contextFeatures(parts.encode(contextText(request.turns))),
      vocabSize: vocab,
    };
  } finally {
    // GPU buffers (the present key/values on WebGPU) are not garbage-collected.
    for (const tensor of Object.values(output)) {
      if ((tensor as { location?: string }).location === 'gpu-buffer') tensor.dispose();
    }
  }
}
