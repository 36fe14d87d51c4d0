import type { ChatTurn } from '../shared/protocol';
import { commonPrefixLength } from './kv-reuse';

/**
 * Building the next prompt from the token ids the model actually saw and produced, rather than
 * from the reply's text encoded again (DESIGN §4).
 *
 * A sampled reply often does not re-encode to the ids that were generated (on the random demo
 * model almost never; on real BPE models now and then). Re-encoding then makes the new prompt
 * differ from the cache early, and most of it is prefilled again. Instead the next prompt is:
 * the last prompt's ids + the reply's ids + the template's tokens for "end of reply, new user
 * message, start of the next reply". Only that glue and the new message are new to the model.
 */

/** What the model saw and said in its last generation, enough to continue from its ids. */
export interface LastExchange {
  conversationId: string;
  /** The turns rendered into the last prompt, system prompt first. */
  promptTurns: ChatTurn[];
  promptIds: number[];
  /** Every reply sampled for that prompt (one, or N for best-of-N): its ids and its text. */
  replies: Array<{ ids: number[]; text: string }>;
}

export interface TemplateTools {
  /** The chat template rendered to text, ending with the prompt for the next assistant reply. */
  render(turns: ChatTurn[]): string;
  encode(text: string): number[];
  stopIds: ReadonlySet<number>;
}

/** Plain text no template escapes or trims, to find where a reply's content goes. */
const REPLY_MARK = 'QxReplyMarkZq';

/**
 * The next prompt's ids when `turns` are the last prompt's turns plus one of its replies plus a
 * new user message; null when they are not (another conversation, an edited or trimmed history,
 * a reply replaced by the safety gate) or when the template renders earlier turns differently
 * now (one that stamps the date, or drops old reasoning): the caller then encodes the text.
 */
export function continuationIds(last: LastExchange | null, conversationId: string, turns: ChatTurn[], tools: TemplateTools): number[] | null {
  if (!last || last.conversationId !== conversationId) return null;
  const n = last.promptTurns.length;
  const replyTurn = turns[n];
  const userTurn = turns[n + 1];
  if (turns.length !== n + 2 || replyTurn?.role !== 'assistant' || userTurn?.role !== 'user') return null;
  if (!last.promptTurns.every((turn, i) => turn.role === turns[i]?.role && turn.content === turns[i]?.content)) return null;
  // The app stores the reply as shown, which may be trimmed.
  const reply = last.replies.find((candidate) => candidate.text.trim() === replyTurn.content.trim());
  if (!reply) return null;

  const head = tools.render(last.promptTurns);
  const full = tools.render([...last.promptTurns, { role: 'assistant', content: REPLY_MARK }, userTurn]);
  if (!full.startsWith(head + REPLY_MARK)) return null;
  const glue = glueIds(head, full.slice(head.length + REPLY_MARK.length), tools.encode);
  if (!glue) return null;

  const replyIds = [...reply.ids];
  while (replyIds.length > 0 && tools.stopIds.has(replyIds[replyIds.length - 1]!)) replyIds.pop();
  return [...last.promptIds, ...replyIds, ...glue];
}

/**
 * The glue's ids as they come out in context: encoded after a plain stand-in reply, so a
 * tokenizer that treats the start of a text specially (a leading "▁", say) cannot make them
 * differ from a full render's. Null if the glue does not split off cleanly.
 */
function glueIds(head: string, glueText: string, encode: (text: string) => number[]): number[] | null {
  const before = encode(`${head}ok`);
  const after = encode(`${head}ok${glueText}`);
  if (commonPrefixLength(before, after) !== before.length) return null;
  return after.slice(before.length);
}
