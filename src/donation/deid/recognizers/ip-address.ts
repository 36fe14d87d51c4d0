import isIP from 'validator/lib/isIP';
import type { FoundEntity } from '../found-entity';
import { regexSpans } from '../regex-spans';

/** Four dotted numbers, not part of a longer dotted run (a version like 1.2.3.4.5 is not an address). */
const IPV4_CANDIDATE = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)/g;

/**
 * Hex groups joined by colons (at least two colons), optionally ending in an IPv4 address.
 * The lookbehind stops `std::vector` and times like 12:30:45 are rejected by isIP.
 */
const IPV6_CANDIDATE = /(?<![\w:])(?=[0-9a-f:]*[0-9a-f])(?:[0-9a-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9a-f]{0,4})(?![\w:])/giu;

export function findIpAddresses(text: string): FoundEntity[] {
  return [
    ...regexSpans(text, IPV4_CANDIDATE, 'IP_ADDRESS', (candidate) => isIP(candidate, 4)),
    ...regexSpans(text, IPV6_CANDIDATE, 'IP_ADDRESS', (candidate) => isIP(candidate, 6)),
  ];
}
