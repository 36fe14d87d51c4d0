/**
 * Random identifiers for donation: the donor pseudonym and the withdrawal token. Both come from
 * the platform's cryptographic generator and from nothing on the device, so they cannot be
 * linked back to the user or to each other.
 */

export type RandomBytes = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>;

const cryptoRandom: RandomBytes = (bytes) => crypto.getRandomValues(bytes);

export const DONOR_PATTERN = /^donor-[0-9a-f]{16}$/;

/** `donor-` + 16 hex digits (64 random bits), the form the bundle schema requires. */
export function newDonorPseudonym(random: RandomBytes = cryptoRandom): string {
  const bytes = random(new Uint8Array(8));
  return `donor-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** 32 random bytes, base64url without padding: the secret that withdraws one bundle. */
export function newWithdrawalToken(random: RandomBytes = cryptoRandom): string {
  const bytes = random(new Uint8Array(32));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
