import { describe, expect, it } from 'vitest';
import { createDeidentifier } from '../../../src/donation/deid';
import { findAges } from '../../../src/donation/deid/recognizers/ages';
import { findDatesOfBirth } from '../../../src/donation/deid/recognizers/date-of-birth';
import { findDates } from '../../../src/donation/deid/recognizers/dates';
import { monthNumber } from '../../../src/donation/deid/recognizers/month-names';

const texts = (text: string, spans: ReadonlyArray<{ start: number; end: number }>) =>
  [...new Set(spans.map((span) => text.slice(span.start, span.end)))];
const ages = (text: string) => texts(text, findAges(text));
const birthDates = (text: string) => texts(text, findDatesOfBirth(text));

describe('dates of birth in the main European languages', () => {
  it.each([
    ['Geburtsdatum: 03.11.1984', '03.11.1984'],
    ['geboren am 3. November 1984 in einem Dorf', '3. November 1984'],
    ['geb. 14.02.1979', '14.02.1979'],
    ['je suis née le 2 juin 1988 à Lyon', '2 juin 1988'],
    ['né le 1er mars 1975', '1er mars 1975'],
    ['nacido el 5 de marzo de 1990', '5 de marzo de 1990'],
    ['nací el 14 de marzo de 1991', '14 de marzo de 1991'],
    ['nata il 3 marzo 1990', '3 marzo 1990'],
    ['nascida em 5 de março de 1990', '5 de março de 1990'],
    ['geboren op 12 maart 1985', '12 maart 1985'],
    ['data urodzenia: 14.02.1979', '14.02.1979'],
    ['urodziłem się 14 lutego 1979 w Krakowie', '14 lutego 1979'],
    ['my bday is 17 oct, 29 this year', '17 oct'],
  ])('finds the date in %j', (text, date) => {
    expect(birthDates(text)).toEqual([date]);
  });

  it.each([
    'the NATO summit on 12 April 2024',
    'Termin am 3. November 2024 um 10 Uhr',
    'rendez-vous le 2 juin 2025',
    'the 3rd floor, room 12',
  ])('keeps the dates in %j', (text) => {
    expect(birthDates(text)).toEqual([]);
  });

  it('reads month names of every language, with and without accents', () => {
    expect(['janvier', 'März', 'maerz', 'lutego', 'października', 'pazdziernika', 'août', 'aout', 'mei', 'Sept'].map(monthNumber)).toEqual([
      1, 3, 3, 2, 10, 10, 8, 8, 5, 9,
    ]);
    expect(monthNumber('set')).toBe(0);
  });

  it('gives the same date written in two languages one key, and a weekday date its own', () => {
    const key = (text: string) => findDates(text).map((date) => date.key);
    expect(key('5 de marzo de 1990')).toEqual(key('March 5, 1990'));
    expect(key('born friday 9th august')).toEqual(['????-08-09']);
    expect(key('on sunday 6th')).toEqual(['????-??-06']);
  });
});

describe('ages tied to a birthday', () => {
  it.each([
    ['I turn 35 on the 3rd of May', '35'],
    ['she turned 40 yesterday', '40'],
    ["I'm turning 50 next year", '50'],
    ["I'm 42 and my birthday is next week", '42'],
    ['shes 92 on sunday 6th, write a birthday poem', '92'],
    ['my kid Theo (6 on tuesday 4th march) wants a party', '6'],
    ["it's my 35th birthday tomorrow", '35th'],
    ['its my 21st on friday 9th august', '21st'],
    ['ich werde 50 am Samstag', '50'],
    ['ich werde am 8. Mai 50', '50'],
    ['je fête mes 30 ans le 14 février', '30'],
    ['hoy cumplo 35 años', '35'],
    ['compio 40 anni il 2 aprile', '40'],
    ['ik word 45 op 3 oktober', '45'],
    ['w sobotę kończę 30 lat', '30'],
  ])('finds the age in %j', (text, age) => {
    expect(ages(text)).toEqual([age]);
  });

  it.each([
    "I'm 42 years old and need a new job",
    'turn 90 degrees to the left',
    'turn 2 pages back',
    'my son is 7',
    'the meeting is 5 on the agenda',
    'I waited 30 minutes for my birthday cake',
    'click on word 3.',
  ])('finds no age in %j', (text) => {
    expect(ages(text)).toEqual([]);
  });

  it('replaces the age and the birthday, and keeps the sentence', () => {
    expect(createDeidentifier().redact('I turn 35 on the 3rd of May').redacted).toBe('I turn [AGE_1] on [DATE_OF_BIRTH_1]');
  });
});
