import type { FoundEntity, Recognizer } from './found-entity';
import { mergeSpans } from './merge-spans';
import { placeholderSpans } from './placeholders';
import { findCreditCards } from './recognizers/credit-card';
import { findDatesOfBirth } from './recognizers/date-of-birth';
import { createDeclaredTermsRecognizer } from './recognizers/declared-terms';
import { findEmails } from './recognizers/email';
import { findIbans } from './recognizers/iban';
import { findIpAddresses } from './recognizers/ip-address';
import { findNameIntroductions } from './recognizers/name-introductions';
import { findPeopleAndPlaces } from './recognizers/people-and-places';
import { findPhones } from './recognizers/phone';
import { findStreetAddresses } from './recognizers/street-address';
import { findUrls } from './recognizers/url';
import { findUsSsns } from './recognizers/us-ssn';

/** The recognizers every text goes through, whatever the user declared. */
const BUILT_IN_RECOGNIZERS: readonly Recognizer[] = [
  findEmails,
  findUrls,
  findCreditCards,
  findIbans,
  findUsSsns,
  findPhones,
  findIpAddresses,
  findDatesOfBirth,
  findStreetAddresses,
  findPeopleAndPlaces,
  findNameIntroductions,
];

/**
 * Runs every recognizer over a text and merges what they found. Spans touching a placeholder
 * that is already in the text are dropped first, so de-identified text comes back unchanged.
 * The declared terms are compiled once, here, and reused for every text.
 */
export function createEntityFinder(declaredTerms: readonly string[] = []): (text: string) => FoundEntity[] {
  const recognizers = [createDeclaredTermsRecognizer(declaredTerms), ...BUILT_IN_RECOGNIZERS];
  return (text) => {
    if (text.length === 0) return [];
    const placeholders = placeholderSpans(text);
    const found = recognizers.flatMap((recognize) => recognize(text));
    const outsidePlaceholders = placeholders.length === 0
      ? found
      : found.filter((span) => !placeholders.some((kept) => span.start < kept.end && kept.start < span.end));
    return mergeSpans(outsidePlaceholders);
  };
}
