import { describe, expect, it } from 'vitest';
import type { FoundEntity } from '../../../src/donation/deid';
import { findEntities } from '../../../src/donation/deid';
import { findLicensePlates } from '../../../src/donation/deid/recognizers/license-plates';
import { findNationalIds } from '../../../src/donation/deid/recognizers/national-ids';
import { findPostalCodes } from '../../../src/donation/deid/recognizers/postal-codes';
import { findUserHandles } from '../../../src/donation/deid/recognizers/user-handles';

/**
 * National ids, postal codes, user handles and licence plates. Ids are public specimens (the
 * HMRC "QQ" NI number, the textbook DNI, codice fiscale and PAN) or invented with a valid
 * checksum; handles, plates and towns are made up.
 */
const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);

/**
 * What one recognizer finds, alone, in order and without repeats (a recognizer may report a span
 * twice, by a cue and by its shape): an address recognizer may take a postcode into a longer
 * STREET_ADDRESS span when all run together, which is fine but not what is tested here.
 */
const RECOGNIZERS: Record<string, (text: string) => FoundEntity[]> = {
  NATIONAL_ID: findNationalIds,
  POSTAL_CODE: findPostalCodes,
  USER_HANDLE: findUserHandles,
  LICENSE_PLATE: findLicensePlates,
};
const ofType = (type: string, text: string) =>
  RECOGNIZERS[type]!(text)
    .sort((a, b) => a.start - b.start)
    .filter((span, i, spans) => i === 0 || span.start !== spans[i - 1]!.start || span.end !== spans[i - 1]!.end)
    .map((span) => text.slice(span.start, span.end));

describe('national ids', () => {
  it.each([
    ['NI number QQ 12 34 56 C please', 'QQ 12 34 56 C'],
    ['my national insurance no is QQ123456C', 'QQ123456C'],
    ['Aadhaar: 2345 6789 0124', '2345 6789 0124'],
    ['passport number is 123456789', '123456789'],
    ['passport no. X1234567, expires soon', 'X1234567'],
    ['meine Personalausweisnummer ist T22000129', 'T22000129'],
    ['mój PESEL to 44051401359', '44051401359'],
    ['numéro de sécurité sociale 1 84 12 76 451 089 46', '1 84 12 76 451 089 46'],
    ['mi DNI es 12345678Z', '12345678Z'],
    ['my NHS number is 943 476 5919', '943 476 5919'],
    ['BSN: 111222333', '111222333'],
    ['my bsn is 123456782', '123456782'],
  ])('finds the id in %j', (text, id) => {
    expect(ofType('NATIONAL_ID', text)).toEqual([id]);
  });

  it.each([
    ['codice fiscale RSSMRA85T10A562S', 'RSSMRA85T10A562S'],
    ['PAN ABCDE1234F for the form', 'ABCDE1234F'],
    ['2345 6789 0124 is on the card', '2345 6789 0124'],
    ['NIE X1234567L', 'X1234567L'],
  ])('finds a distinctive format without needing its cue: %j', (text, id) => {
    expect(ofType('NATIONAL_ID', text)).toEqual([id]);
  });

  it.each([
    'my passport expires 2030-01-01',
    'my passport is in the drawer',
    'the tax number field is empty',
    'I have a pan 28 cm wide',
    'heat the pan 2024-01-15 style',
    '2345 6789 0123 fails the Verhoeff check',
  ])('finds no id in %j', (text) => {
    expect(ofType('NATIONAL_ID', text)).toEqual([]);
  });
});

describe('postal codes', () => {
  it.each([
    ['Springfield, IL 62704', '62704'],
    ['Kettering, ohio 45429-1234', '45429-1234'],
    ['Flat 3, Bristol BS6 5NL', 'BS6 5NL'],
    ['London SW1A 1AA', 'SW1A 1AA'],
    ['Damrak 1, 1015 DV Amsterdam', '1015 DV'],
    ['ul. Miodowa 7, 00-251 Warszawa', '00-251'],
    ['Hauptstraße 5, 10115 Berlin', '10115'],
    ['envoyez à F-75001 Paris', 'F-75001'],
    ['Bahnhofstrasse 1, 8001 Zürich', '8001'],
    ['Ottawa K1A 0B1', 'K1A 0B1'],
    ['5th Block, Bengaluru 560095', '560095'],
    ['my zip is 62704', '62704'],
    ['PLZ: 80331', '80331'],
    ['postcode is bs6 5nl', 'bs6 5nl'],
  ])('finds the code in %j', (text, code) => {
    expect(ofType('POSTAL_CODE', text)).toEqual([code]);
  });

  it.each([
    'I have 10000 Euro saved',
    'the M2 8GB model is enough',
    'in 1990 Berlin was divided',
    'in 2019, 2020 Paris hosted it',
    'a 1080 HD screen',
    'over 12345 Users signed up',
    'in 1500 BC people',
    'plz 12345 help',
  ])('finds no code in %j', (text) => {
    expect(ofType('POSTAL_CODE', text)).toEqual([]);
  });
});

describe('user handles', () => {
  it('finds @names, Reddit users, Discord tags and profile links without a scheme', () => {
    expect(found('follow @jane_doe88, u/throwaway_123, /u/other_name, jane#1234, instagram.com/jane.doe and tiktok.com/@jdoe')).toEqual([
      ['USER_HANDLE', '@jane_doe88'],
      ['USER_HANDLE', 'u/throwaway_123'],
      ['USER_HANDLE', '/u/other_name'],
      ['USER_HANDLE', 'jane#1234'],
      ['USER_HANDLE', 'instagram.com/jane.doe'],
      ['USER_HANDLE', 'tiktok.com/@jdoe'],
    ]);
  });

  it('finds a Mastodon handle whole, not as an e-mail', () => {
    expect(found('I am @jdoe@mastodon.example now')).toEqual([['USER_HANDLE', '@jdoe@mastodon.example']]);
  });

  it('finds a handle after a cue', () => {
    expect(ofType('USER_HANDLE', 'my username is jdoe88')).toEqual(['jdoe88']);
    expect(ofType('USER_HANDLE', 'my discord: pixel_fox')).toEqual(['pixel_fox']);
    expect(ofType('USER_HANDLE', 'snap me at jakob_w.23 lol')).toEqual(['jakob_w.23']);
  });

  it('ends a profile link at the name and leaves site pages and repositories alone', () => {
    expect(ofType('USER_HANDLE', 'see youtube.com/@jdoe/videos, instagram.com/p/abc123 and github.com/acme/widgets')).toEqual(['youtube.com/@jdoe']);
    expect(ofType('USER_HANDLE', 'my code is on github.com/jdoe')).toEqual(['github.com/jdoe']);
  });

  it.each([
    'email me at bob@example.com',
    '@Override\npublic void run() {}',
    'npm i -D @types/node @sveltejs/vite-plugin-svelte',
    '@media (max-width: 600px) { }',
    '@app.route("/")\ndef index(): pass',
    'use @pytest.fixture for that',
    'see issue#1234 and PR#12',
    'how to handle errors in rust',
    'the handle is broken',
    'my insta is private',
    'my username is too long',
    'find me at the park',
    'images @2x look sharp',
    'r/AskReddit is a community',
  ])('finds no handle in %j', (text) => {
    expect(ofType('USER_HANDLE', text)).toEqual([]);
  });
});

describe('licence plates', () => {
  it.each([
    ['my plate is AB12 CDE', 'AB12 CDE'],
    ['my plate number is 8XYZ417', '8XYZ417'],
    ['license plate: 7ABC123', '7ABC123'],
    ['Kennzeichen: M-AB 1234', 'M-AB 1234'],
    ['reg 7ABC123 on the ticket', '7ABC123'],
    ['numer rejestracyjny KR 7J402', 'KR 7J402'],
    ['vehicle no KA 03 MN 4521 got a challan', 'KA 03 MN 4521'],
    ['la mia targa è FK 482 TZ', 'FK 482 TZ'],
    ['ons kenteken is 12-ABC-3', '12-ABC-3'],
  ])('finds the plate in %j', (text, plate) => {
    expect(ofType('LICENSE_PLATE', text)).toEqual([plate]);
  });

  it.each([
    'the plate is hot',
    'reg 2019 was a good year',
    'use a regex for that',
    'registration is open until Friday',
    'my plates are in the dishwasher',
  ])('finds no plate in %j', (text) => {
    expect(ofType('LICENSE_PLATE', text)).toEqual([]);
  });
});
