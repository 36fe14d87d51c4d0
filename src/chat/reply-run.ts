import type { AdapterEffect } from '../../workers/shared/learning-protocol';
import type { ChatTurn, SamplingSettings } from '../../workers/shared/protocol';
import type { RewardScore, SafetyScore } from '../../workers/shared/reward-protocol';
import type { GenerateParams, RunningReply } from '../inference/dialogue-client';
import { chooseCandidate, safetyNoteFor, topicChange } from '../reward/selection';
import type { StoredMessage } from '../storage/schema';
import { describeWriteFailure } from '../storage/write-failure';
import { ThrottledWriter } from './streaming-writer';

/** What a reply needs from the outside: the two workers and a way to store the reply. */
export interface ReplyRunClients {
  generate(params: GenerateParams, onText: (delta: string) => void, onProgress: (tokens: number, maxTokens: number) => void): RunningReply;
  /** Null when the safety classifier could not run. */
  classify(texts: string[], threshold: number): Promise<SafetyScore[] | null>;
  /** Null when the reward model could not run. */
  score(turns: ChatTurn[], texts: string[]): Promise<RewardScore[] | null>;
  /** Stores the reply as it stands now; may throw (storage full, database blocked). */
  save(): Promise<void>;
}

export interface ReplyRunRequest {
  conversationId: string;
  systemPrompt: string;
  /** The thread up to and including the question. */
  turns: ChatTurn[];
  /** The question's text, for the safety check. */
  question: string;
  sampling: SamplingSettings;
  gate: { enabled: boolean; threshold: number };
  /** Best-of-N: replies to sample (1 = one streamed reply). */
  count: number;
}

export interface ReplyRunOutcome {
  /** The reply failed (the model or its worker); `reply.error` says how. */
  failed: string | null;
  /** The reply could not be stored; it is on screen only. In words a user can act on. */
  notSaved: string | null;
}

const SAFETY_NOT_RUN = 'The safety filter could not run, so this reply was not checked.';

/**
 * One reply, from the request to the stored result: streams into `reply` (the object the UI
 * shows), holds text back until the question's safety verdict, lets the reward model choose
 * among best-of-N candidates, and stores the reply as it goes. Never throws: a failed model
 * marks the reply as an error, a failed save is reported, and either way the run ends, so the
 * chat is free for the next message.
 */
export class ReplyRun {
  private running: RunningReply | null = null;
  private stopRequested = false;
  private lastSaveFailure: unknown = null;

  constructor(
    private readonly reply: StoredMessage,
    private readonly clients: ReplyRunClients,
    private readonly onCandidatesProgress: (progress: { tokens: number; maxTokens: number; count: number } | null) => void = () => undefined,
  ) {}

  /** Stops the reply: the text so far stays, marked as stopped by the user. */
  stop(): void {
    this.stopRequested = true;
    this.running?.stop();
  }

  /** Resolves when the reply is finished, stopped or failed, and its last save was tried. */
  async run(request: ReplyRunRequest): Promise<ReplyRunOutcome> {
    const reply = this.reply;
    const writer = new ThrottledWriter(() => this.save());
    let failed: string | null = null;
    // The empty reply is stored first, so a tab closed before the first token leaves a trace.
    await this.save();
    try {
      if (this.stopRequested) {
        reply.status = 'partial';
        reply.stopReason = 'user';
        return this.finish(writer, failed);
      }
      await this.generate(request, writer);
    } catch (error) {
      reply.status = 'error';
      reply.error = error instanceof Error ? error.message : String(error);
      failed = reply.error;
    } finally {
      this.running = null;
      this.onCandidatesProgress(null);
    }
    return this.finish(writer, failed);
  }

  private async generate(request: ReplyRunRequest, writer: ThrottledWriter): Promise<void> {
    const reply = this.reply;
    const { gate, count, sampling } = request;
    if (count > 1) this.onCandidatesProgress({ tokens: 0, maxTokens: sampling.maxNewTokens, count });
    // The question's safety check runs beside the prefill rather than before it, so the first
    // token waits for the slower of the two, not for both. Text is held back until the verdict:
    // a reply to a flagged question never shows.
    let verdictPending = gate.enabled;
    let heldBack = '';
    const running = this.clients.generate(
      { conversationId: request.conversationId, systemPrompt: request.systemPrompt, turns: request.turns, sampling, candidates: count },
      (delta) => {
        if (verdictPending) {
          heldBack += delta;
          return;
        }
        reply.content += delta;
        writer.schedule();
      },
      (tokens, maxTokens) => this.onCandidatesProgress({ tokens, maxTokens, count }),
    );
    this.running = running;
    // Awaited below; until then a failure must not count as unhandled.
    running.done.catch(() => undefined);
    if (this.stopRequested) running.stop();
    if (gate.enabled) {
      const [verdict] = (await this.clients.classify([request.question], gate.threshold)) ?? [];
      if (verdict?.flagged) {
        running.stop();
        await running.done.catch(() => undefined);
        this.replaceWithTopicChange(safetyNoteFor('your message', verdict, gate.threshold));
        reply.safety = verdict;
        return;
      }
      if (!verdict) reply.safetyNote = SAFETY_NOT_RUN;
      verdictPending = false;
      if (heldBack) {
        reply.content += heldBack;
        writer.schedule();
      }
    }
    const done = await running.done;
    reply.content = done.text;
    reply.status = done.stoppedByUser ? 'partial' : 'complete';
    reply.stopReason = done.stoppedByUser ? 'user' : undefined;
    reply.metrics = done.metrics;
    reply.backend = done.metrics.backend;
    reply.dtype = done.metrics.dtype;
    reply.prompt = done.prompt;
    // A reply the user stopped is theirs to judge as it is: nothing is swapped under them.
    if (!done.stoppedByUser) await this.choose(request, done.candidates ?? [done.text], done.adapterEffects);
  }

  /** Scores the sampled replies and shows the best safe one, or a change of topic when none is safe. */
  private async choose(request: ReplyRunRequest, texts: string[], adapterEffects?: AdapterEffect[]): Promise<void> {
    const reply = this.reply;
    const { gate } = request;
    const [safety, rewards] = await Promise.all([
      gate.enabled ? this.clients.classify(texts, gate.threshold) : Promise.resolve(null),
      this.clients.score(request.turns, texts),
    ]);
    const choice = chooseCandidate(
      texts.map((text, i) => ({
        text,
        ...(safety?.[i] ? { safety: safety[i] } : {}),
        ...(rewards?.[i] ? { reward: rewards[i] } : {}),
      })),
    );
    reply.choiceReason = choice.reason;
    if (texts.length > 1 || choice.index === null) reply.candidates = choice.candidates;
    if (choice.index === null) {
      const flagged = safety!.reduce((a, b) => (b.unsafe > a.unsafe ? b : a));
      this.replaceWithTopicChange(safetyNoteFor('the reply', flagged, gate.threshold));
      reply.safety = flagged;
      return;
    }
    const chosen = choice.candidates[choice.index]!;
    reply.content = chosen.text;
    // Look inside shows how much the adapter moved the reply shown, whichever candidate it was.
    const effect = adapterEffects?.[choice.index];
    if (effect && reply.metrics) reply.metrics = { ...reply.metrics, adapter: effect };
    if (chosen.reward) reply.reward = chosen.reward;
    if (chosen.safety) reply.safety = chosen.safety;
    if (gate.enabled && !safety) reply.safetyNote = SAFETY_NOT_RUN;
  }

  private replaceWithTopicChange(note: string): void {
    const reply = this.reply;
    reply.content = topicChange(reply.id);
    reply.status = 'complete';
    reply.stopReason = undefined;
    reply.isSafetyControlledResponse = true;
    reply.safetyNote = note;
  }

  /** The last save, after any pending one; reports a failure only if the final state is not stored. */
  private async finish(writer: ThrottledWriter, failed: string | null): Promise<ReplyRunOutcome> {
    await writer.settle();
    await this.save();
    const failure = this.lastSaveFailure;
    return { failed, notSaved: failure === null ? null : describeWriteFailure(failure, 'This reply is shown but was not saved') };
  }

  /** Stores the reply; remembers whether the latest attempt failed rather than throwing mid-stream. */
  private async save(): Promise<void> {
    try {
      await this.clients.save();
      this.lastSaveFailure = null;
    } catch (error) {
      this.lastSaveFailure = error;
    }
  }
}
