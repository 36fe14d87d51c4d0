/**
 * TRL DPO: preference pairs. A disliked reply loses to the user's "what it should have said";
 * and where a turn was answered more than once, every liked version beats every disliked one.
 * A liked reply's leftover "what it should have said" makes no pair: the user liked the reply.
 */
import { hasText } from './build';
import { assistantTurn, promptOf } from './chat-json';
import type { DpoRecord } from './records';
import type { RatedReply, TrainingConversation } from './thread';

export function* dpoRecords(conversation: TrainingConversation): Generator<DpoRecord> {
  for (const { before, reply } of conversation.rated) {
    const better = reply.feedback.betterResponse;
    if (reply.feedback.rating !== 'down' || !hasText(better)) continue;
    yield { prompt: promptOf(before), chosen: [assistantTurn(better)], rejected: [assistantTurn(reply.text)] };
  }
  for (const versions of versionsByTurn(conversation.rated)) {
    const liked = versions.filter((r) => r.reply.feedback.rating === 'up');
    const disliked = versions.filter((r) => r.reply.feedback.rating === 'down');
    for (const good of liked) {
      for (const bad of disliked) {
        // Versions of one turn share the turns before them; the liked one's are used.
        yield { prompt: promptOf(good.before), chosen: [assistantTurn(good.reply.text)], rejected: [assistantTurn(bad.reply.text)] };
      }
    }
  }
}

/** Rated replies grouped by the turn they answer, groups in order of their first reply. */
function versionsByTurn(rated: readonly RatedReply[]): Iterable<RatedReply[]> {
  const groups = new Map<string, RatedReply[]>();
  for (const r of rated) {
    const group = groups.get(r.reply.turn);
    if (group) group.push(r);
    else groups.set(r.reply.turn, [r]);
  }
  return groups.values();
}
