/**
 * Shared by the donation tests: a chat written through the app's own repositories, and a fake
 * collector that answers like collector/routes/bundles.ts and counts every request it gets.
 */
import { rate, setDetails } from '../../../src/feedback/feedback-repository';
import type { FeedbackDetails } from '../../../src/feedback/feedback-repository';
import { createConversation, saveMessage, setCurrentLeaf } from '../../../src/storage/conversations';
import type { ChatDb } from '../../../src/storage/db';
import type { StoredMessage } from '../../../src/storage/schema';

let clock = 1_700_000_000_000;

export function message(conversationId: string, parentId: string | null, role: StoredMessage['role'], content: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  clock += 1000;
  const base: StoredMessage = {
    id: crypto.randomUUID(),
    conversationId,
    parentId,
    role,
    content,
    createdAt: clock,
    updatedAt: clock,
    status: 'complete',
  };
  return role === 'assistant' ? { ...base, modelId: 'demo-chat-tiny', backend: 'wasm', dtype: 'q8', ...extra } : { ...base, ...extra };
}

export interface Turn {
  user: string;
  bot: string;
  botExtra?: Partial<StoredMessage>;
}

/** A conversation of question/answer turns on one thread; returns it and its messages in order. */
export async function writeConversation(db: ChatDb, title: string, turns: readonly Turn[]): Promise<{ id: string; messages: StoredMessage[] }> {
  const conversation = await createConversation(db, title);
  const messages: StoredMessage[] = [];
  let parent: string | null = null;
  for (const turn of turns) {
    const question = message(conversation.id, parent, 'user', turn.user);
    const answer = message(conversation.id, question.id, 'assistant', turn.bot, turn.botExtra);
    await saveMessage(db, question, { asCurrentLeaf: true });
    await saveMessage(db, answer, { asCurrentLeaf: true });
    messages.push(question, answer);
    parent = answer.id;
  }
  return { id: conversation.id, messages };
}

/** Adds another version of `reply` (a regenerated answer) without showing it. */
export async function writeOtherVersion(db: ChatDb, reply: StoredMessage, content: string): Promise<StoredMessage> {
  const other = message(reply.conversationId, reply.parentId, 'assistant', content);
  await saveMessage(db, other);
  return other;
}

export async function rateReply(db: ChatDb, reply: StoredMessage, rating: 'up' | 'down', details: Partial<FeedbackDetails> = {}): Promise<void> {
  await rate(db, reply, rating);
  if (Object.keys(details).length > 0) await setDetails(db, reply.id, details);
}

export { setCurrentLeaf };

export interface FakeRequest {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
}

type Answer = (request: FakeRequest) => Response | 'network-error';

/**
 * A collector in memory. `answer` can be swapped to make it fail; by default it stores each
 * bundle once by id (resends get the same receipt, as the real one does) and withdraws with the
 * token it was sent with.
 */
export class FakeCollector {
  readonly requests: FakeRequest[] = [];
  readonly stored = new Map<string, { body: string; token: string; receiptId: string }>();
  answer: Answer | null = null;
  private receipts = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const request: FakeRequest = { method: init?.method ?? 'GET', url: String(input), body: typeof init?.body === 'string' ? init.body : null, headers };
    this.requests.push(request);
    const answer = this.answer?.(request) ?? this.behave(request);
    if (answer === 'network-error') throw new TypeError('fetch failed');
    return answer;
  };

  posts(): FakeRequest[] {
    return this.requests.filter((r) => r.method === 'POST');
  }

  private behave(request: FakeRequest): Response {
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (request.method === 'POST') {
      const bundle = JSON.parse(request.body ?? '{}') as { bundleId: string };
      const known = this.stored.get(bundle.bundleId);
      if (known) return Response.json({ bundleId: bundle.bundleId, receiptId: known.receiptId, receivedAt: '2024-01-01T00:00:00.000Z' }, { status: 200 });
      const receiptId = `receipt-${++this.receipts}`;
      this.stored.set(bundle.bundleId, { body: request.body ?? '', token, receiptId });
      return Response.json({ bundleId: bundle.bundleId, receiptId, receivedAt: '2024-01-01T00:00:00.000Z' }, { status: 201 });
    }
    if (request.method === 'DELETE') {
      const id = decodeURIComponent(request.url.split('/').pop() ?? '');
      const known = this.stored.get(id);
      if (!known) return Response.json({ error: 'No bundle with this id was ever stored.', problems: [] }, { status: 404 });
      if (known.token !== token) return Response.json({ error: 'The withdrawal token does not match this bundle.', problems: [] }, { status: 403 });
      this.stored.delete(id);
      return Response.json({ bundleId: id, withdrawnAt: '2024-01-02T00:00:00.000Z' }, { status: 200 });
    }
    return Response.json({ error: 'Nothing is here.', problems: [] }, { status: 404 });
  }
}

/** A scheduler the test runs by hand: what the outbox asked to run, and after how long. */
interface Timer {
  run: () => void;
  delayMs: number;
  cancelled: boolean;
}

export class ManualScheduler {
  readonly pending: Timer[] = [];

  readonly schedule = (run: () => void, delayMs: number) => {
    const timer: Timer = { run, delayMs, cancelled: false };
    this.pending.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };

  /** The timer still set (the outbox keeps at most one). */
  active(): Timer | undefined {
    return this.pending.filter((t) => !t.cancelled).at(-1);
  }

  /** Fires the active timer, as if its delay had passed. */
  fire(): void {
    const timer = this.active();
    if (!timer) throw new Error('no timer is set');
    timer.cancelled = true;
    timer.run();
  }
}
