/**
 * Withdrawal tokens. The app makes a random token per bundle and keeps it; the collector sees it
 * only in the Authorization header and stores nothing but its SHA-256.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32–128 characters of the URL-safe base64 alphabet. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

export type BearerToken =
  | { kind: 'token'; token: string }
  /** No Authorization header, or not a Bearer one. */
  | { kind: 'missing' }
  /** A Bearer credential that cannot be a withdrawal token (so it matches no bundle). */
  | { kind: 'malformed'; credential: string; problem: string };

export function readBearer(header: string | string[] | undefined): BearerToken {
  if (header === undefined) return { kind: 'missing' };
  if (Array.isArray(header)) return { kind: 'malformed', credential: header.join(','), problem: 'Authorization header given more than once' };
  const match = /^Bearer[ ]+(\S*)\s*$/i.exec(header);
  if (!match) return { kind: 'missing' };
  const token = match[1] ?? '';
  if (!TOKEN_PATTERN.test(token)) {
    return { kind: 'malformed', credential: token, problem: 'the withdrawal token must be 32 to 128 characters of A-Z, a-z, 0-9, "_" and "-"' };
  }
  return { kind: 'token', token };
}

/** The only form of a token the collector keeps: SHA-256, lowercase hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Compares two token hashes in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A fresh receipt id: `rcpt_` and 20 random base32 characters (100 bits). */
export function newReceiptId(): string {
  const bytes = randomBytes(20);
  let id = 'rcpt_';
  for (const byte of bytes) id += BASE32[byte & 31];
  return id;
}
