/// <reference lib="webworker" />
/**
 * The learning worker (issue 18, DESIGN §5b): trains the personal generation adapter with the
 * Cringe loss. A worker of its own, because a training run takes up to seconds of plain
 * JavaScript: in the dialogue worker it would hold up the next reply, in the reward worker the
 * next safety check. It loads no model; the dialogue worker gives it the logits it needs.
 */
import type { LearningEvent, LearningRequest } from './shared/learning-protocol';
import { serveRequests } from './shared/rpc/serve-requests';
import { trainOn } from './learning/adapter-trainer';
import { adoptAdapter, DEFAULT_RANK } from './learning/logit-adapter';
import { CONTEXT_FEATURE_DIM } from './learning/context-features';

declare const self: DedicatedWorkerGlobalScope;

function post(event: LearningEvent, transfer: Transferable[] = []): void {
  self.postMessage(event, transfer);
}

serveRequests<LearningRequest>(self, {
  async handle(request) {
    const base = adoptAdapter(request.base, request.modelId, { vocabSize: request.vocabSize, featureDim: CONTEXT_FEATURE_DIM, rank: DEFAULT_RANK });
    const { state, steps, ms } = trainOn(base, request.examples);
    // The adapter's arrays are this worker's own copies: hand them over rather than copy them again.
    post({ type: 'trained', id: request.id, adapter: state, steps, ms }, [state.bias.buffer, state.u.buffer, state.v.buffer]);
  },
  describe: (error) => ({ kind: 'generation', message: error instanceof Error ? error.message : String(error) }),
});
