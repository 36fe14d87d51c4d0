import { describe, expect, it } from 'vitest';
import { findEntities } from '../../../src/donation/deid';

/** [type, the text of the span] for every merged entity, in order. */
const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);

describe('e-mail addresses', () => {
  it('finds an address inside a sentence, without the full stop after it', () => {
    expect(found('Write to ada.lovelace+notes@example.co.uk.')).toEqual([['EMAIL', 'ada.lovelace+notes@example.co.uk']]);
  });

  it('finds addresses with letters outside ASCII', () => {
    expect(found('Meine Adresse: jürgen.weiß@beispiel.de')).toEqual([['EMAIL', 'jürgen.weiß@beispiel.de']]);
  });

  it('leaves things that only look like addresses (no domain, no dot); a handle is a handle, not an e-mail', () => {
    expect(found('ping me on @adal or at user@localhost or ada@example')).toEqual([['USER_HANDLE', '@adal']]);
  });
});

describe('links', () => {
  it('finds http(s) and www. links and stops before closing punctuation', () => {
    expect(found('See https://example.com/a/b?c=1&d=2, then (www.example.org/path).')).toEqual([
      ['URL', 'https://example.com/a/b?c=1&d=2'],
      ['URL', 'www.example.org/path'],
    ]);
  });

  it('keeps a parenthesis the link itself opened', () => {
    expect(found('Read https://en.wikipedia.org/wiki/Mercury_(planet) first')).toEqual([
      ['URL', 'https://en.wikipedia.org/wiki/Mercury_(planet)'],
    ]);
  });

  it('keeps bare domains and file names', () => {
    expect(found('the site example.com and the file report.pdf')).toEqual([]);
  });

  it('does not take the domain of an e-mail address for a link', () => {
    expect(found('mail bob@www.example.com today')).toEqual([['EMAIL', 'bob@www.example.com']]);
  });
});

describe('IP addresses', () => {
  it('finds IPv4 and IPv6 addresses', () => {
    expect(found('hosts 192.168.1.10 and 2001:db8::8a2e:370:7334 and fe80::1')).toEqual([
      ['IP_ADDRESS', '192.168.1.10'],
      ['IP_ADDRESS', '2001:db8::8a2e:370:7334'],
      ['IP_ADDRESS', 'fe80::1'],
    ]);
  });

  it('keeps out-of-range quads, times, C++ scopes and long version numbers', () => {
    expect(found('999.10.1.1 at 12:30:45 in std::vector, version 1.2.3.4.5')).toEqual([]);
  });
});

describe('US social security numbers', () => {
  it('finds AAA-GG-SSSS', () => {
    expect(found('my SSN is 123-45-6789.')).toEqual([['US_SSN', '123-45-6789']]);
  });

  it.each(['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000'])(
    'finds %s, which the SSA never issues: the shape decides, not the issuing rules',
    (number) => {
      expect(found(`number ${number} here`)).toEqual([['US_SSN', number]]);
    },
  );

  it('keeps nine bare digits without a cue', () => {
    expect(found('number 123456789 here')).toEqual([]);
  });
});

describe('credit cards', () => {
  it('finds a Luhn-valid card with spaces, dashes or none', () => {
    expect(found('4111 1111 1111 1111 / 5500-0000-0000-0004 / 378282246310005')).toEqual([
      ['CREDIT_CARD', '4111 1111 1111 1111'],
      ['CREDIT_CARD', '5500-0000-0000-0004'],
      ['CREDIT_CARD', '378282246310005'],
    ]);
  });

  it('finds a Luhn-invalid number (last digit changed): one typo leaves fifteen real digits', () => {
    expect(found('card 4111 1111 1111 1112 declined')).toEqual([['CREDIT_CARD', '4111 1111 1111 1112']]);
  });

  it('finds the card when a number stands right before it', () => {
    expect(found('in 2024 4111 1111 1111 1111 expired')).toEqual([['CREDIT_CARD', '4111 1111 1111 1111']]);
  });
});

describe('IBANs', () => {
  it('finds checksum-valid IBANs, spaced or not, and stops before the words after them', () => {
    expect(found('pay GB82 WEST 1234 5698 7654 32 or DE89370400440532013000 or DE89 3704 0044 0532 0130 00 today')).toEqual([
      ['IBAN', 'GB82 WEST 1234 5698 7654 32'],
      ['IBAN', 'DE89370400440532013000'],
      ['IBAN', 'DE89 3704 0044 0532 0130 00'],
    ]);
  });

  it('finds an IBAN with a wrong checksum as a whole IBAN, no piece of it taken for a phone', () => {
    expect(found('pay GB82 WEST 1234 5698 7654 33 today')).toEqual([['IBAN', 'GB82 WEST 1234 5698 7654 33']]);
    expect(found('pay DE89 3704 0044 0532 0130 01 today')).toEqual([['IBAN', 'DE89 3704 0044 0532 0130 01']]);
  });
});

describe('phone numbers', () => {
  it('finds US numbers in the usual notations', () => {
    expect(found('call (555) 123-4567, 415.555.2671 or 212-555-0143 ext. 12')).toEqual([
      ['PHONE', '(555) 123-4567'],
      ['PHONE', '415.555.2671'],
      ['PHONE', '212-555-0143 ext. 12'],
    ]);
  });

  it('finds international numbers written with +', () => {
    expect(found('UK +44 20 7946 0958, DE +49 1512 3456789, FR +33 6 12 34 56 78')).toEqual([
      ['PHONE', '+44 20 7946 0958'],
      ['PHONE', '+49 1512 3456789'],
      ['PHONE', '+33 6 12 34 56 78'],
    ]);
  });

  it('keeps years, dates, prices, ids and digit runs that are no North American number', () => {
    expect(found('From 1990 to 2024, on 12/04/1990, for $1,234,567, order 1234-5678-9012, ids 12345 67890')).toEqual([]);
  });
});
