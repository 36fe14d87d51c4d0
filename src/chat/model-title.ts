/**
 * An opt-in title written by the chat model after the first reply ("Let the model write titles").
 * The rule title (conversation-title.ts) stays until the model's is in, and whenever the model is
 * the untrained demo, is busy, or writes nothing usable.
 */
import type { SamplingSettings } from '../../workers/shared/protocol';
import type { GenerateParams, RunningReply } from '../inference/dialogue-client';
import { shortenTitle, titleFromMessage } from './conversation-title';

/** The dialogue client's `generate`, as far as a title needs it. */
export type GenerateTitle = (params: GenerateParams, onText: (delta: string) => void) => RunningReply;

export const TITLE_MAX_WORDS = 6;

export const TITLE_INSTRUCTION = `Write a title of at most ${TITLE_MAX_WORDS} words for this conversation. Reply with the title only.`;

// Short and near-greedy: a title is a few tokens, and the chat waits for nothing but should not
// have the worker busy long after the user starts typing again.
const TITLE_SAMPLING: SamplingSettings = { temperature: 0, topP: 1, topK: 1, maxNewTokens: 24, repetitionPenalty: 1.1 };

/** What decides whether to ask, read at the end of a reply. */
export interface TitleSituation {
  /** The "Let the model write titles" setting. */
  enabled: boolean;
  modelReady: boolean;
  /** The model in use is the untrained demo: its "title" would be gibberish. */
  untrainedModel: boolean;
  /** Nothing is being written or started in the chat. */
  chatIdle: boolean;
  conversationId: string;
  systemPrompt: string;
  /** The conversation's title now. */
  title: string;
  question: { content: string; parentId: string | null };
  reply: { content: string; status: string; isSafetyControlledResponse?: boolean };
}

/**
 * Ask only after a complete first reply, and only while the title is still the rule's title for
 * that question: a conversation the user renamed (or the model already titled) keeps its name.
 */
export function shouldAskForTitle(s: TitleSituation): boolean {
  return (
    s.enabled &&
    s.modelReady &&
    !s.untrainedModel &&
    s.chatIdle &&
    s.question.parentId === null &&
    s.reply.status === 'complete' &&
    !s.reply.isSafetyControlledResponse &&
    s.reply.content.trim() !== '' &&
    s.title === titleFromMessage(s.question.content)
  );
}

/** The model's words as a title: one line, no quotes or markup, at most TITLE_MAX_WORDS words; null when nothing usable. */
export function cleanModelTitle(raw: string): string | null {
  const line = raw.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
  const words = line
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .replace(/^(?:#+\s*)?(?:\*\*)?title\s*:\s*/iu, '')
    .replace(/<[^>]*>/g, '')
    .replace(/[*_`#<>[\]{}|\\]+/g, '')
    .replace(/["“”„«»]|^'+|'+$|(?<=\s)'|'(?=\s)|^‘|’$/gu, '')
    .replace(/[.,;:!\s]+$/u, '')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  const title = words.slice(0, TITLE_MAX_WORDS).join(' ');
  if (!/[\p{L}\p{N}]/u.test(title)) return null;
  return shortenTitle(title);
}

/** Writes titles through the dialogue client, one at a time, and stops one when the chat needs the model. */
export class ModelTitleWriter {
  private running: RunningReply | null = null;

  constructor(private readonly generate: GenerateTitle) {}

  /**
   * Asks for a title when `shouldAskForTitle` agrees and, when the model wrote a usable one and the
   * title was not changed meanwhile (`currentTitle`), saves it. The request starts in the same
   * turn of the event loop as the check, so a reply started afterwards always finds it to stop.
   */
  async titleAfterReply(situation: TitleSituation, currentTitle: () => string | undefined, save: (title: string) => Promise<void>): Promise<void> {
    if (this.running || !shouldAskForTitle(situation)) return;
    const title = await this.write(situation);
    if (title !== null && currentTitle() === situation.title) await save(title);
  }

  /** Stops a title being written, so the reply the user asked for never waits behind it. */
  async stop(): Promise<void> {
    const run = this.running;
    if (!run) return;
    run.stop();
    await run.done.catch(() => undefined);
  }

  private async write(s: TitleSituation): Promise<string | null> {
    // The conversation's own id, prompt and first exchange: the worker's cache of that exchange is
    // reused, so only the instruction is prefilled (and the next turn keeps the exchange's cache).
    const run = this.generate(
      {
        conversationId: s.conversationId,
        systemPrompt: s.systemPrompt,
        turns: [
          { role: 'user', content: s.question.content },
          { role: 'assistant', content: s.reply.content },
          { role: 'user', content: TITLE_INSTRUCTION },
        ],
        sampling: TITLE_SAMPLING,
      },
      () => undefined,
    );
    this.running = run;
    try {
      const done = await run.done;
      return done.stoppedByUser ? null : cleanModelTitle(done.text);
    } catch {
      // A title is a nicety: a failed one leaves the rule's title, and the chat reports its own errors.
      return null;
    } finally {
      this.running = null;
    }
  }
}
