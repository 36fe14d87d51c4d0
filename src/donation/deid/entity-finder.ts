import type { FoundEntity, Recognizer } from './found-entity';
import { mergeSpans } from './merge-spans';
import { placeholderSpans } from './placeholders';
import { RecurringNames } from './recurring-names';
import { findCreditCards } from './recognizers/credit-card';
import { findDatesOfBirth } from './recognizers/date-of-birth';
import { createDeclaredTermsRecognizer } from './recognizers/declared-terms';
import { findEmails } from './recognizers/email';
import { findIbans } from './recognizers/iban';
import { findInstitutions } from './recognizers/institutions';
import { findIpAddresses } from './recognizers/ip-address';
import { findNameIntroductions } from './recognizers/name-introductions';
import { findPeopleAndPlaces } from './recognizers/people-and-places';
import { findGazetteerPlaces } from './recognizers/places-gazetteer';
import { findPhones } from './recognizers/phone';
import { findStreetAddresses } from './recognizers/street-address';
import { findUrls } from './recognizers/url';
import { findUsSsns } from './recognizers/us-ssn';
import { findSecrets } from './recognizers/secrets';
import { findNationalIds } from './recognizers/national-ids';
import { findPostalCodes } from './recognizers/postal-codes';
import { findUserHandles } from './recognizers/user-handles';
import { findLicensePlates } from './recognizers/license-plates';
import { findAges } from './recognizers/ages';

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
  findGazetteerPlaces,
  findInstitutions,
  findNameIntroductions,
  findSecrets,
  findNationalIds,
  findPostalCodes,
  findUserHandles,
  findLicensePlates,
  findAges,
];

/**
 * Runs every recognizer over a text and merges what they found. Spans touching a placeholder
 * that is already in the text are dropped first, so de-identified text comes back unchanged.
 * The declared terms are compiled once, here, and reused for every text.
 */
export function createEntityFinder(declaredTerms: readonly string[] = []): (text: string) => FoundEntity[] {
  const recognizers = [createDeclaredTermsRecognizer(declaredTerms), ...BUILT_IN_RECOGNIZERS];
  const recurring = new RecurringNames();
  return (text) => {
    if (text.length === 0) return [];
    const placeholders = placeholderSpans(text);
    const outside = (spans: FoundEntity[]) => placeholders.length === 0
      ? spans
      : spans.filter((span) => !placeholders.some((kept) => span.start < kept.end && kept.start < span.end));
    const merged = mergeSpans(outside(recognizers.flatMap((recognize) => recognize(text))));
    // Names found once are found again wherever they recur, in this text and the later ones.
    recurring.remember(text, merged);
    const again = outside(recurring.find(text));
    return again.length === 0 ? merged : mergeSpans([...merged, ...again]);
  };
}
