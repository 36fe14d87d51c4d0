/**
 * The reply whose feedback the user changed last. The feedback store has one error for all
 * replies; it is shown next to this reply only, where the user just acted, not under every reply.
 */
export const lastFeedbackTarget = $state<{ messageId: string | null }>({ messageId: null });
