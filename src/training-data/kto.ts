/** TRL KTO: one record per rated reply — the turns before it, the reply, and the thumb as label. */
import { assistantTurn, promptOf } from './chat-json';
import type { KtoRecord } from './records';
import type { TrainingConversation } from './thread';

export function* ktoRecords(conversation: TrainingConversation): Generator<KtoRecord> {
  for (const { before, reply } of conversation.rated) {
    yield { prompt: promptOf(before), completion: [assistantTurn(reply.text)], label: reply.feedback.rating === 'up' };
  }
}
