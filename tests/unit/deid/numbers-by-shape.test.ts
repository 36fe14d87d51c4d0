import { describe, expect, it } from 'vitest';
import { createDeidentifier, findEntities } from '../../../src/donation/deid';

/**
 * Numbers are replaced by their shape; a checksum only confirms. Test numbers are card-network
 * test numbers, the IBAN registry's specimens, SSNs reserved for advertising (987-65-432x) or
 * voided (078-05-1120), Ofcom's drama numbers, ARCEP's fiction range and US 555-01xx.
 */
const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);

describe('cards by shape', () => {
  it.each([
    ['card 4111 1111 1111 1112 declined', '4111 1111 1111 1112'],
    ['card 4111.1111.1111.1112 declined', '4111.1111.1111.1112'],
    ['card 4111-1111-1111-1112 declined', '4111-1111-1111-1112'],
    ['amex 3782 822463 10006 declined', '3782 822463 10006'],
    ['card 4000123412341234 declined', '4000123412341234'],
    ['card 4111 1111 1111 111 (one digit short)', '4111 1111 1111 111'],
  ])('finds the mistyped card in %j', (text, card) => {
    expect(found(text)).toEqual([['CREDIT_CARD', card]]);
  });

  it('takes a year standing before a mistyped card with it, rather than leave a group out', () => {
    expect(found('in 2024 4111 1111 1111 1112 expired')).toEqual([['CREDIT_CARD', '2024 4111 1111 1111 1112']]);
  });

  it('still finds a valid card between other numbers exactly', () => {
    expect(found('in 2024 4111 1111 1111 1111 expired')).toEqual([['CREDIT_CARD', '4111 1111 1111 1111']]);
  });

  it.each([
    'the barcode 4006381333931 scans as another product',
    'timestamp 1701532800000 in ms',
    'order 1234-5678-9012 shipped',
    'EAN 4006381333931',
  ])('keeps the number in %j', (text) => {
    expect(found(text)).toEqual([]);
  });
});

describe('IBANs by shape', () => {
  it('finds an IBAN whose check digits are wrong', () => {
    expect(found('pay NL91 ABNA 0417 1643 01 today')).toEqual([['IBAN', 'NL91 ABNA 0417 1643 01']]);
  });

  it('finds an IBAN with a digit dropped', () => {
    expect(found('pay DE89 3704 0044 0532 0130 0 today')).toEqual([['IBAN', 'DE89 3704 0044 0532 0130 0']]);
  });

  it('asks for a capitalized country code when no checksum holds', () => {
    expect(found('the code nl91 abna 0417 1643 01 is not one')).toEqual([]);
  });
});

describe('SSNs by shape', () => {
  it.each(['078 05 1120', '078.05.1120', '987-65-4321', '987 65 4329'])('finds %s', (ssn) => {
    expect(found(`my SSN ${ssn}.`)).toEqual([['US_SSN', ssn]]);
  });

  it('finds nine bare digits after a cue', () => {
    expect(found('ssn: 987654320 and social security number 987654321')).toEqual([
      ['US_SSN', '987654320'],
      ['US_SSN', '987654321'],
    ]);
  });

  it('needs one separator throughout', () => {
    expect(found('code 078-05.1120 here').filter(([type]) => type === 'US_SSN')).toEqual([]);
  });
});

describe('phone numbers without +', () => {
  it.each([
    ['call me on 07700 900123 today', '07700 900123'],
    ['ring 020 7946 0958 after six', '020 7946 0958'],
    ['meine nummer ist 030 901820', '030 901820'],
    ['Handy 0151 23456789, bitte', '0151 23456789'],
    ['appelle-moi au 06 39 98 12 34', '06 39 98 12 34'],
    ['mobile 98765 43210 (India)', '98765 43210'],
    ['call 0044 20 7946 0958 from abroad', '0044 20 7946 0958'],
    ['bel me op 06 12345678', '06 12345678'],
    ['llámame al 612 34 56 78', '612 34 56 78'],
    ['mój numer to 512 345 678', '512 345 678'],
    ['call (123) 456-7890 now', '(123) 456-7890'],
  ])('finds the number in %j', (text, phone) => {
    expect(found(text)).toEqual([['PHONE', phone]]);
  });

  it('gives one number written nationally and internationally one placeholder', () => {
    const { redacted } = createDeidentifier().redact('07700 900123 = +44 7700 900123');
    expect(redacted).toBe('[PHONE_1] = [PHONE_1]');
  });

  it.each([
    'It costs $1,299.99 or 1 299,00 € in total',
    'meet at 10:30-11:45 on 12.04.2024',
    'Due 01.02.2023 and 05.03.2024',
    'order number 4567891234 shipped',
    'Your order #2125550143 is on its way',
    'SKU 555-123-4567 is out of stock',
    'part no. 2125550143 fits',
    'ISBN 0-306-40615-2',
    'ticket 4155552671 was closed',
    'it cost 2125550143 yen',
    'ref 0123456789',
    'lottery numbers 4 8 15 16 23 42 -- what are the odds',
    'chrome 122.0.6261.112 blocks my extension',
    'From 1990 to 2024, ids 12345 67890',
  ])('finds no phone in %j', (text) => {
    expect(found(text).filter(([type]) => type === 'PHONE')).toEqual([]);
  });

  it('keeps the phone when "number" stands before it', () => {
    expect(found('my number is 212-555-0143')).toEqual([['PHONE', '212-555-0143']]);
  });
});

describe('IP addresses and versions', () => {
  it.each([
    'version 2.4.1.3 fixed it',
    'v2.4.1.3',
    'build 10.0.19045.3803',
    'driver version 2.4.1.3 crashes, roll back to 2.4.0.9?',
    'Chrome 120.0.6099.109',
    'explain 192.168.0.0/16 in CIDR notation',
    'a version like 1.2.3.4.5',
  ])('finds no address in %j', (text) => {
    expect(found(text).filter(([type]) => type === 'IP_ADDRESS')).toEqual([]);
  });

  it('still finds addresses, including one right after a version', () => {
    expect(found('server 192.0.2.17 runs version 2.4.1 and 203.0.113.5/32')).toEqual([
      ['IP_ADDRESS', '192.0.2.17'],
      ['IP_ADDRESS', '203.0.113.5'],
    ]);
  });
});
