import isEmail from 'validator/lib/isEmail';
import type { FoundEntity } from '../found-entity';
import { regexSpans } from '../regex-spans';

/**
 * Anything shaped like local@domain.tld (letters of any script); validator's isEmail decides.
 * The local part may not start with a dot, and the domain ends at its last label, so a full
 * stop after an address is not taken in.
 */
const EMAIL_CANDIDATE = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-][\p{L}\p{N}._%+-]*@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

export function findEmails(text: string): FoundEntity[] {
  return regexSpans(text, EMAIL_CANDIDATE, 'EMAIL', (candidate) => isEmail(candidate));
}
