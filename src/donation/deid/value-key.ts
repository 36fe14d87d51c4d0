import type { EntityType } from '../bundle-types';
import { normalizeName } from './normalize-name';
import { findDates } from './recognizers/dates';
import { phoneKey } from './recognizers/phone';

/**
 * What makes two written values "the same value", so they share one placeholder: e-mails and
 * hosts ignore case, phones compare as E.164, cards and IBANs by their digits and letters,
 * dates of birth by the date, names and everything else by normalizeName.
 */
export function valueKey(type: EntityType, written: string): string {
  switch (type) {
    case 'EMAIL':
    case 'URL':
    case 'IP_ADDRESS':
      return written.trim().toLowerCase();
    case 'PHONE':
      return phoneKey(written);
    case 'CREDIT_CARD':
    case 'US_SSN':
      return written.replace(/\D/g, '');
    case 'IBAN':
      return written.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
    case 'DATE_OF_BIRTH':
      return dateKey(written);
    case 'NATIONAL_ID':
    case 'POSTAL_CODE':
    case 'LICENSE_PLATE':
      return written.replace(/[^\p{L}\p{N}]/gu, '').toUpperCase();
    case 'SECRET':
      return written;
    case 'USER_HANDLE':
    case 'AGE':
      return written.trim().toLowerCase();
    case 'STREET_ADDRESS':
    case 'PERSON':
    case 'PLACE':
    case 'INSTITUTION':
    case 'DECLARED_TERM':
      return normalizeName(written);
  }
}

function dateKey(written: string): string {
  const [date] = findDates(written);
  return date !== undefined && date.start === 0 && date.end === written.length ? date.key : normalizeName(written);
}
