import type { BundleStatus } from '../../donation/donation-store-api';
import type { EntityType } from '../../donation/bundle-types';

/** "1 message", "3 messages". */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What each kind of removed detail is called in the de-identification report. */
const ENTITY_NAMES: Record<EntityType, [one: string, many: string]> = {
  EMAIL: ['e-mail address', 'e-mail addresses'],
  PHONE: ['phone number', 'phone numbers'],
  CREDIT_CARD: ['card number', 'card numbers'],
  IBAN: ['bank account number (IBAN)', 'bank account numbers (IBAN)'],
  IP_ADDRESS: ['IP address', 'IP addresses'],
  URL: ['web address', 'web addresses'],
  US_SSN: ['social security number', 'social security numbers'],
  DATE_OF_BIRTH: ['date of birth', 'dates of birth'],
  STREET_ADDRESS: ['street address', 'street addresses'],
  PERSON: ['name', 'names'],
  PLACE: ['place', 'places'],
  DECLARED_TERM: ['word of yours', 'words of yours'],
  SECRET: ['password or key', 'passwords or keys'],
  NATIONAL_ID: ['national id number', 'national id numbers'],
  POSTAL_CODE: ['postal code', 'postal codes'],
  USER_HANDLE: ['user name or profile', 'user names or profiles'],
  LICENSE_PLATE: ['licence plate', 'licence plates'],
  AGE: ['age', 'ages'],
  INSTITUTION: ['school, employer or institution', 'schools, employers or institutions'],
};

/** "2 e-mail addresses removed". Unknown types (a newer de-identifier) are named as they are. */
export function removedLabel(entity: string, n: number): string {
  const names = ENTITY_NAMES[entity as EntityType] ?? [entity, entity];
  return `${count(n, names[0], names[1])} removed`;
}

/** The badge text of each status: end-to-end tests read these exact words. */
export const STATUS_LABELS: Record<BundleStatus, string> = {
  queued: 'Queued',
  sending: 'Sending…',
  sent: 'Sent',
  failed: 'Failed',
  withdrawn: 'Withdrawn',
};

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(time: number): string {
  return dateTimeFormat.format(time);
}

/** 24-hour "HH:MM", local time. */
export function formatClock(time: number): string {
  const date = new Date(time);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
