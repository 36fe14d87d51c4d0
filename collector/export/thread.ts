/**
 * A bundle conversation is a flat thread: the branch the user saw, user and assistant turns in
 * order, no system prompt. The prompt for a reply is every turn before it.
 */
import type { BundleFeedback, BundleMessage } from '../../src/donation/bundle-types';
import type { ChatTurnJson } from '../../src/feedback/exporters';

export function promptBefore(messages: readonly BundleMessage[], index: number): ChatTurnJson[] {
  return messages.slice(0, index).map((m) => ({ role: m.role, content: m.text }));
}

export const assistantTurn = (content: string): { role: 'assistant'; content: string } => ({ role: 'assistant', content });

export interface RatedReply {
  reply: BundleMessage;
  feedback: BundleFeedback;
  /** The reply's position in the thread. */
  index: number;
}

/** Each assistant reply that carries a rating (the app rates replies only). */
export function* ratedReplies(messages: readonly BundleMessage[]): Generator<RatedReply> {
  for (const [index, reply] of messages.entries()) {
    if (reply.role === 'assistant' && reply.feedback !== undefined) yield { reply, feedback: reply.feedback, index };
  }
}
