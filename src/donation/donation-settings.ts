/**
 * The donation settings, kept in the `settings` store under 'donation'. Opted out by default;
 * a value from an older or damaged record falls back to its default, so the app never reads
 * something it would not have written.
 */
import type { ChatDb } from '../storage/db';
import type { DonationSettings } from './donation-store-api';
import { checkEndpoint, DEFAULT_ENDPOINT } from './endpoint';
import { DONOR_PATTERN, newDonorPseudonym } from './random-secrets';

export const DONATION_SETTINGS_KEY = 'donation';

export function defaultDonationSettings(donor = newDonorPseudonym()): DonationSettings {
  return { enabled: false, endpoint: DEFAULT_ENDPOINT, declaredTerms: [], donor, consentGivenAt: null };
}

/** Trims, drops empty entries and repeats (ignoring case), keeping the user's order. */
export function normalizeDeclaredTerms(terms: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const raw of terms) {
    const term = raw.trim();
    const key = term.toLowerCase();
    if (term === '' || seen.has(key)) continue;
    seen.add(key);
    kept.push(term);
  }
  return kept;
}

function fromStored(stored: unknown): DonationSettings {
  const defaults = defaultDonationSettings();
  if (typeof stored !== 'object' || stored === null) return defaults;
  const s = stored as Partial<Record<keyof DonationSettings, unknown>>;
  const endpoint = typeof s.endpoint === 'string' ? checkEndpoint(s.endpoint) : null;
  const donorOk = typeof s.donor === 'string' && DONOR_PATTERN.test(s.donor);
  const consentGivenAt = typeof s.consentGivenAt === 'string' && !Number.isNaN(Date.parse(s.consentGivenAt)) ? s.consentGivenAt : null;
  const enabled = s.enabled === true && consentGivenAt !== null;
  return {
    // Consent without a date cannot be recorded in a bundle, so it counts as not given.
    enabled,
    endpoint: endpoint?.ok ? endpoint.endpoint : defaults.endpoint,
    declaredTerms: Array.isArray(s.declaredTerms) ? normalizeDeclaredTerms(s.declaredTerms.filter((t): t is string => typeof t === 'string')) : [],
    donor: donorOk ? (s.donor as string) : defaults.donor,
    consentGivenAt: enabled ? consentGivenAt : null,
  };
}

/**
 * The stored settings, or the defaults. Reading writes nothing: a user who never turns donation
 * on leaves no trace of it on the device. A pseudonym made here is saved with the first change
 * (turning donation on), and from then on stays until the user resets it.
 */
export async function loadDonationSettings(db: ChatDb): Promise<DonationSettings> {
  return fromStored(await db.get('settings', DONATION_SETTINGS_KEY));
}

export async function saveDonationSettings(db: ChatDb, settings: DonationSettings): Promise<void> {
  // A plain copy: a reactive proxy cannot be stored (structured clone refuses it).
  const record: DonationSettings = { ...settings, declaredTerms: [...settings.declaredTerms] };
  await db.put('settings', record, DONATION_SETTINGS_KEY);
}
