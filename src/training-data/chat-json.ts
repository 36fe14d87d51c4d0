/** Turns as the chat-format lists TRL reads: `{role, content}`. */
import type { AssistantTurnJson, ChatTurnJson } from './records';
import type { Turn } from './thread';

export function promptOf(turns: readonly Turn[]): ChatTurnJson[] {
  return turns.map((turn) => ({ role: turn.role, content: turn.text }));
}

export function assistantTurn(content: string): AssistantTurnJson {
  return { role: 'assistant', content };
}
