/**
 * The donation bundle (schema version 1), as TypeScript. `bundle-schema.json` beside this file
 * is the contract the app and the collector both check; these types mirror it.
 */
import type { DislikeReason } from '../feedback/taxonomy';

export const BUNDLE_SCHEMA_VERSION = 1;

export const ENTITY_TYPES = [
  'EMAIL',
  'PHONE',
  'CREDIT_CARD',
  'IBAN',
  'IP_ADDRESS',
  'URL',
  'US_SSN',
  'DATE_OF_BIRTH',
  'STREET_ADDRESS',
  'PERSON',
  'PLACE',
  'DECLARED_TERM',
  // Added with the recall work of issue 16; a collector of this version accepts them.
  'SECRET',
  'NATIONAL_ID',
  'POSTAL_CODE',
  'USER_HANDLE',
  'LICENSE_PLATE',
  'AGE',
  'INSTITUTION',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export interface ClassifierOutput {
  label: string;
  probability: number;
}

export interface BundleFeedback {
  rating: 'up' | 'down';
  reasons: DislikeReason[];
  /** De-identified; absent when the user wrote none. */
  comment?: string;
  /** De-identified "what it should have said"; absent when the user wrote none. */
  betterResponse?: string;
}

export interface BundleMessage {
  /** Bundle-local id (`m1`, `m2`…): never the id the message has on the device. */
  id: string;
  role: 'user' | 'assistant';
  /** De-identified text. */
  text: string;
  modelId?: string;
  isSafetyControlledResponse?: boolean;
  reward?: ClassifierOutput;
  safety?: ClassifierOutput;
  feedback?: BundleFeedback;
}

export interface BundleConversation {
  /** Bundle-local id (`c1`, `c2`…). */
  id: string;
  messages: BundleMessage[];
}

export interface ConsentRecord {
  /** Which wording of the consent text the user agreed to. */
  textVersion: string;
  givenAt: string;
  scope: { purpose: string; includesFeedback: boolean; conversationCount: number };
}

export interface DeidentificationReport {
  method: string;
  methodVersion: string;
  /** How many spans of each type were replaced, over the whole bundle. */
  counts: Partial<Record<EntityType, number>>;
}

export interface DonationBundle {
  schemaVersion: typeof BUNDLE_SCHEMA_VERSION;
  bundleId: string;
  createdAt: string;
  appVersion: string;
  /** The dialogue model that wrote most of the replies (each reply also names its own). */
  modelId: string;
  /** A random pseudonym (`donor-` + 16 hex digits) the user can reset; never a stable id. */
  donor: string;
  consent: ConsentRecord;
  conversations: BundleConversation[];
  deidentification: DeidentificationReport;
}
