/**
 * What the user agrees to when they turn donation on. The version string goes into every
 * bundle's consent record, so the collector knows which wording each bundle was given under:
 * change the text → change the version.
 */

export const CONSENT_TEXT_VERSION = 'donation-consent-1';

/** The purpose stated in each bundle's consent record (`consent.scope.purpose`). */
export const DONATION_PURPOSE =
  'Research on chatbots that learn from their users\' feedback: training and evaluating reward models and dialogue models.';

export const CONSENT_TEXT = [
  'Donating is off unless you turn it on, and nothing is ever sent without your confirmation.',
  'Each time you donate, you choose the conversations, see the exact text that will be sent and can remove any part of it before you confirm.',
  'Before anything leaves this device, it is de-identified here: e-mail addresses, phone numbers, card and bank numbers, IP and web addresses, ID numbers, dates of birth, street addresses, names, places and the terms you list yourself are replaced by placeholders such as [PERSON_1]. Automatic de-identification can miss things: read the preview.',
  'A bundle carries a random donor name (which you can reset at any time), the app version and the model that replied — no account, no device identifier, no titles or times of your conversations.',
  `Purpose: ${DONATION_PURPOSE}`,
  'You can withdraw any bundle later: this device keeps a secret withdrawal token for each one, and the collector deletes the bundle when it is presented. Turning donation off cancels bundles not yet sent.',
].join('\n\n');
