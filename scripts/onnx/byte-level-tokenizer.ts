/**
 * A byte-level BPE tokenizer with Llama-3's special tokens and chat template, for a fixture that
 * looks like Llama-3.2 / Qwen exports to the app: GPT-2 byte-to-unicode symbols (any text
 * round-trips), a few merges, `<|start_header_id|>role<|end_header_id|>\n\n…<|eot_id|>` turns
 * and two ids that end a reply. Written by hand (a few KB) rather than shipped.
 */
import type { TokenizerFiles } from './tokenizer.ts';

export const BEGIN_OF_TEXT = '<|begin_of_text|>';
export const END_OF_TEXT = '<|end_of_text|>';
export const START_HEADER = '<|start_header_id|>';
export const END_HEADER = '<|end_header_id|>';
export const EOT = '<|eot_id|>';

/** Llama-3's layout: a header per turn, content trimmed, `<|eot_id|>` after each. */
export const LLAMA3_TEMPLATE =
  "{{ '<|begin_of_text|>' }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

/** GPT-2's printable stand-in for each byte, so every byte is one vocabulary symbol. */
function byteSymbols(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable(b) ? b : next++));
}

/** A few English merges ("Ġ" is the space symbol), enough that words are not all single bytes. */
const MERGES: Array<[string, string]> = [
  ['Ġ', 't'], ['h', 'e'], ['i', 'n'], ['Ġ', 'a'], ['e', 'r'], ['o', 'n'], ['r', 'e'], ['Ġt', 'he'],
  ['Ġ', 's'], ['Ġ', 'w'], ['a', 't'], ['o', 'u'], ['e', 'n'], ['Ġ', 'o'], ['i', 's'], ['Ġ', 'r'],
];

export function byteLevelLlama3Tokenizer(): TokenizerFiles & { eosIds: number[] } {
  const vocab: Record<string, number> = {};
  byteSymbols().forEach((symbol, id) => (vocab[symbol] = id));
  for (const [a, b] of MERGES) vocab[a + b] ??= Object.keys(vocab).length;
  const specials = [BEGIN_OF_TEXT, END_OF_TEXT, START_HEADER, END_HEADER, EOT];
  const base = Object.keys(vocab).length;
  const addedTokens = specials.map((content, i) => ({ id: base + i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }));
  const idOf = (content: string) => addedTokens.find((t) => t.content === content)!.id;
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    tokenizer: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: addedTokens,
      normalizer: null,
      pre_tokenizer: byteLevel,
      post_processor: null,
      decoder: byteLevel,
      model: {
        type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null,
        fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges: MERGES.map(([a, b]) => `${a} ${b}`),
      },
    },
    tokenizerConfig: {
      tokenizer_class: 'GPT2Tokenizer',
      bos_token: BEGIN_OF_TEXT,
      eos_token: EOT,
      unk_token: null,
      pad_token: END_OF_TEXT,
      added_tokens_decoder: Object.fromEntries(addedTokens.map(({ id, ...rest }) => [String(id), rest])),
      chat_template: LLAMA3_TEMPLATE,
      clean_up_tokenization_spaces: false,
      model_max_length: 4096,
    },
    size: base + specials.length,
    eosIds: [idOf(EOT), idOf(END_OF_TEXT)],
  };
}
