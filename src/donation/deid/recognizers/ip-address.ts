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

/**
 * What makes four dotted numbers a version: "version 2.4.1.3", "v2.4.1.3", "build 10.0.19045.1",
 * "Chrome 120.0.6099.109", "firmware: 1.0.2.7". The cue must end right before the number.
 */
const VERSION_BEFORE = /(?:(?<![\p{L}])(?:version|ver\.?|release|build|firmware|update|patch|revision|rev\.?|driver|kernel|sdk|chrome|chromium|edge|firefox|safari|ios|android|macos|windows|msvc|nvidia|cuda|bios)\s*[:=]?\s*v?|(?<![\p{L}])v)$/iu;
const CUE_REACH = 24;
/** "2.4.0.9": four single digits are a version; no device has such an address (1.1.1.1 is a public resolver). */
const SINGLE_DIGIT_PARTS = /^\d\.\d\.\d\.\d$/;
/** "192.168.0.0/16": a network written in CIDR notation, not one machine's address. */
const NETWORK_PREFIX = /^\.0\/\d{1,2}(?!\d)/;

export function findIpAddresses(text: string): FoundEntity[] {
  const isAddress = (candidate: string, start: number, end: number) =>
    isIP(candidate, 4) &&
    !SINGLE_DIGIT_PARTS.test(candidate) &&
    !NETWORK_PREFIX.test(text.slice(end - 2, end + 4)) &&
    !VERSION_BEFORE.test(text.slice(Math.max(0, start - CUE_REACH), start));
  const ipv4: FoundEntity[] = [];
  for (const match of text.matchAll(IPV4_CANDIDATE)) {
    const end = match.index + match[0].length;
    if (isAddress(match[0], match.index, end)) ipv4.push({ type: 'IP_ADDRESS', start: match.index, end });
  }
  return [...ipv4, ...regexSpans(text, IPV6_CANDIDATE, 'IP_ADDRESS', (candidate) => isIP(candidate, 6))];
}
