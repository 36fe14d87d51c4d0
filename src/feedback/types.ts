import type { Backend, Dtype, SamplingSettings } from '../../workers/shared/protocol';
import type { DislikeReason } from './taxonomy';

export type Rating = 'up' | 'down';

/**
 * The user's feedback on one bot reply; keyed by the reply's id, so a reply has at most one.
 * The model, backend, dtype and sampling are copied from the reply when it is rated, so the
 * record still says what produced the reply if the settings change later.
 */
export interface MessageFeedback {
  messageId: string;
  conversationId: string;
  rating: Rating;
  /** Why the reply was disliked; always empty for a thumbs-up. */
  reasons: DislikeReason[];
  comment: string;
  /** "What it should have said"; empty when the user did not write one. */
  betterResponse: string;
  createdAt: number;
  updatedAt: number;
  modelId?: string;
  backend?: Backend;
  dtype?: Dtype;
  sampling?: SamplingSettings;
}
