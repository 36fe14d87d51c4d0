import { BaseStreamer, type PreTrainedTokenizer } from '@huggingface/transformers';

/** What the streamer needs of a tokenizer: decoding a few ids without special tokens. */
export type DeltaDecoder = Pick<PreTrainedTokenizer, 'decode'>;

/**
 * Streams a one-row generation as text deltas, one per token as soon as its text is complete.
 *
 * transformers.js' TextStreamer re-decodes every token so far on each step (quadratic over a
 * long reply) and flushes only at spaces or newlines (bursty). Here each step decodes only a
 * short window of recent ids twice: the ids already printed (`prefix`) and the same ids plus
 * the new ones. Both decodes start at the same id, so whatever the decoder does at the start of
 * a text (a Llama-style tokenizer strips one leading space) happens to both alike, and the delta
 * is what the new ids add. A delta ending in U+FFFD is an incomplete UTF-8 character (byte
 * tokens of an emoji, say); it waits for the next token. Special tokens are skipped.
 *
 * The first `put` is the prompt and is ignored. The deltas concatenate to the reply decoded
 * whole, and `end` flushes whatever was held back.
 */
export class TextDeltaStreamer extends BaseStreamer {
  /** Reply ids so far. */
  private readonly ids: number[] = [];
  /** Start of the decode window: ids before it are printed and never decoded again. */
  private prefixOffset = 0;
  /** Ids before this are printed; those from `prefixOffset` to here are the window's known text. */
  private readOffset = 0;
  private promptSeen = false;
  /** Everything emitted so far (for tests and for the caller's final check). */
  emitted = '';

  constructor(
    private readonly tokenizer: DeltaDecoder,
    private readonly onText: (delta: string) => void,
    private readonly onToken: () => void = () => {},
  ) {
    super();
  }

  override put(value: bigint[][]): void {
    if (value.length > 1) throw new Error('TextDeltaStreamer streams one row only.');
    if (!this.promptSeen) {
      this.promptSeen = true;
      return;
    }
    for (const id of value[0] ?? []) this.ids.push(Number(id));
    this.onToken();
    const { prefix, full } = this.decodeWindow();
    // Held back: nothing new, an incomplete character, or (rarely) a decode that rewrote the
    // prefix; a later token settles it, or `end` flushes it.
    if (full.length <= prefix.length || full.endsWith('\uFFFD') || !full.startsWith(prefix)) return;
    this.emit(full.slice(prefix.length));
    this.prefixOffset = this.readOffset;
    this.readOffset = this.ids.length;
  }

  override end(): void {
    const { prefix, full } = this.decodeWindow();
    if (full.length > prefix.length && full.startsWith(prefix)) this.emit(full.slice(prefix.length));
    this.prefixOffset = this.readOffset = this.ids.length;
  }

  private decodeWindow(): { prefix: string; full: string } {
    // The tokenizer refuses to decode no ids at all.
    const decode = (ids: number[]) => (ids.length ? this.tokenizer.decode(ids, { skip_special_tokens: true }) : '');
    return {
      prefix: decode(this.ids.slice(this.prefixOffset, this.readOffset)),
      full: decode(this.ids.slice(this.prefixOffset)),
    };
  }

  private emit(delta: string): void {
    this.emitted += delta;
    this.onText(delta);
  }
}
