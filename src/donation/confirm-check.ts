/**
 * The last check before a bundle is queued: the exact text the preview showed is parsed and
 * validated again, with the validator the collector runs. It runs in the de-identification
 * worker (a 5 MB bundle takes a while to parse and check), so it answers with counts, not the
 * parsed bundle, which the store does not need.
 */
import { checkBundle } from './validate-bundle';

export type ConfirmCheck =
  | { ok: true; bundleId: string; conversationCount: number; messageCount: number }
  | { ok: false; problems: string[] };

export function checkConfirmed(json: string): ConfirmCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    return { ok: false, problems: [`not JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const check = checkBundle(parsed);
  if (!check.ok) return check;
  const { bundle } = check;
  return {
    ok: true,
    bundleId: bundle.bundleId,
    conversationCount: bundle.conversations.length,
    messageCount: bundle.conversations.reduce((n, c) => n + c.messages.length, 0),
  };
}
