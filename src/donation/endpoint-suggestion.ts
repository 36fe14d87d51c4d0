/**
 * A collector address that came with an imported backup. It is only ever a suggestion: bundles
 * go to the address in the donation settings, which changes only when the user picks this one
 * on the donation page. Kept in the `settings` store under its own key until the user picks it,
 * dismisses it or sets an address themselves.
 */
import type { ChatDb } from '../storage/db';
import { checkEndpoint } from './endpoint';

export const ENDPOINT_SUGGESTION_KEY = 'donationEndpointSuggestion';

export interface EndpointSuggestion {
  endpoint: string;
}

/** The suggested address, or null when there is none (or the stored one is not an address the app accepts). */
export async function loadEndpointSuggestion(db: ChatDb): Promise<string | null> {
  const stored: unknown = await db.get('settings', ENDPOINT_SUGGESTION_KEY);
  if (typeof stored !== 'object' || stored === null) return null;
  const { endpoint } = stored as Partial<Record<keyof EndpointSuggestion, unknown>>;
  if (typeof endpoint !== 'string') return null;
  const check = checkEndpoint(endpoint);
  return check.ok ? check.endpoint : null;
}

export async function clearEndpointSuggestion(db: ChatDb): Promise<void> {
  await db.delete('settings', ENDPOINT_SUGGESTION_KEY);
}
