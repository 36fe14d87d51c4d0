/**
 * The community generation adapter: the personal adapter's own trainer (`trainOn`, Cringe loss,
 * workers/learning/) run on the trusted donated ratings of one chat model's replies, with the
 * logits from that model on onnxruntime-node (`ratedReplyLogits`, as the app's dialogue worker
 * computes them). A thumbs-up is a positive example, a thumbs-down a negative one (its reasons
 * weigh it more), "what it should have said" a positive one — as the app's learner makes them.
 *
 * What a donation cannot say is set as the app's defaults would have it: the app's default system
 * prompt (bundles carry none), its default temperature, and no end-of-turn learned after a reply
 * (a bundle does not say whether the model ended the reply or was cut off).
 */
import type { DonationBundle } from '../../src/donation/bundle-types';
import { DEFAULT_SETTINGS } from '../../src/storage/settings';
import { trainOn } from '../../workers/learning/adapter-trainer';
import { CONTEXT_FEATURE_DIM } from '../../workers/learning/context-features';
import { ratingWeight } from '../../workers/learning/cringe-loss';
import { createAdapter } from '../../workers/learning/logit-adapter';
import type { LogitAdapterState, RatedReply, RatedReplyLogits, RatedReplyRequest } from '../../workers/shared/learning-protocol';
import type { ChatTurn } from '../../workers/shared/protocol';

/** The chat model as the training needs it (DialogueModel on onnxruntime-node). */
export interface ChatModelLogits {
  modelId: string;
  vocabSize: number;
  /** As the dialogue worker runs it: the end-of-turn token is learned after positives (unless cut). */
  ratedReplyLogits(request: RatedReplyRequest): Promise<RatedReplyLogits>;
}

export interface AdapterTraining {
  state: LogitAdapterState;
  ratings: number;
  donors: number;
}

function requestsOf(bundle: DonationBundle, modelId: string): RatedReplyRequest[] {
  const out: RatedReplyRequest[] = [];
  const base = { systemPrompt: DEFAULT_SETTINGS.systemPrompt, temperature: DEFAULT_SETTINGS.sampling.temperature };
  for (const conversation of bundle.conversations) {
    const turns: ChatTurn[] = [];
    for (const message of conversation.messages) {
      const feedback = message.feedback;
      if (message.role === 'assistant' && feedback && (message.modelId ?? bundle.modelId) === modelId && message.text.trim() !== '') {
        const id = `${bundle.bundleId}:${conversation.id}:${message.id}`;
        const context = [...turns];
        out.push({ ...base, exampleId: id, positive: feedback.rating === 'up', reasons: feedback.reasons, turns: context, reply: message.text, cutAtTokens: 0 });
        if (feedback.betterResponse?.trim()) {
          out.push({ ...base, exampleId: `${id}:better`, positive: true, reasons: [], turns: context, reply: feedback.betterResponse, cutAtTokens: null });
        }
      }
      turns.push({ role: message.role, content: message.text });
    }
  }
  return out;
}

/** Null when the trusted bundles hold no rated reply of this model. */
export async function trainCommunityAdapter(trusted: readonly DonationBundle[], model: ChatModelLogits): Promise<AdapterTraining | null> {
  const examples: RatedReply[] = [];
  const donors = new Set<string>();
  for (const bundle of trusted) {
    for (const request of requestsOf(bundle, model.modelId)) {
      const { logits, features } = await model.ratedReplyLogits(request);
      examples.push({ id: request.exampleId, positive: request.positive, weight: ratingWeight(request.positive, request.reasons), features, logits });
      donors.add(bundle.donor);
    }
  }
  if (examples.length === 0) return null;
  const { state } = trainOn(createAdapter(model.modelId, model.vocabSize, CONTEXT_FEATURE_DIM), examples);
  return { state, ratings: examples.length, donors: donors.size };
}
