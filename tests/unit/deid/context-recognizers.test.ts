import { describe, expect, it } from 'vitest';
import { findEntities } from '../../../src/donation/deid';
import { nameBearingChunks } from '../../../src/donation/deid/name-bearing-chunks';
import { findPeopleAndPlaces } from '../../../src/donation/deid/recognizers/people-and-places';

const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);

describe('dates of birth', () => {
  it.each([
    ['I was born on April 12, 1990 in a small town.', 'April 12, 1990'],
    ['DOB: 1990-04-12', '1990-04-12'],
    ['D.O.B. 12/04/1990', '12/04/1990'],
    ['Date of birth 12.04.1990', '12.04.1990'],
    ['My birthday is 12 April 1990.', '12 April 1990'],
    ['I was born on the 12th of April 1990.', 'the 12th of April 1990'],
    ['Ada Byron (b. 1815-12-10) wrote notes.', '1815-12-10'],
    ['04/12/1990 is my birthday', '04/12/1990'],
    ['my birthday is Apr. 12th', 'Apr. 12th'],
  ])('finds the date in %j', (text, date) => {
    expect(found(text)).toContainEqual(['DATE_OF_BIRTH', date]);
  });

  it.each([
    'The meeting is on 12/04/2024 at 10am.',
    'On April 12, 1990 the company was founded.',
    'I was born in 1990.',
    'I was born in Ohio. We met on 12/04/2010 in a café.',
    'It was plan b. 12/04/2024 was the deadline.',
  ])('keeps the dates in %j', (text) => {
    expect(found(text).filter(([type]) => type === 'DATE_OF_BIRTH')).toEqual([]);
  });

  it('rejects impossible dates even with a cue', () => {
    expect(found('DOB: 1990-13-45')).toEqual([]);
  });
});

describe('street addresses', () => {
  it.each([
    ['I live at 42 Oak Street, Apt 4B, Springfield.', '42 Oak Street, Apt 4B'],
    ['Send it to 221B Baker St. please', '221B Baker St.'],
    ['The office is at 1600 Pennsylvania Avenue now.', '1600 Pennsylvania Avenue'],
    ['Meet me at 350 5th Ave tomorrow.', '350 5th Ave'],
    ['It is 12 West Martin Luther King Blvd, Suite 210.', '12 West Martin Luther King Blvd, Suite 210'],
    ['Wir wohnen in der Hauptstraße 5a seit Jahren.', 'Hauptstraße 5a'],
    ['Adresse : 12 rue de la Paix, Paris', '12 rue de la Paix'],
  ])('finds the address in %j', (text, address) => {
    expect(found(text)).toContainEqual(['STREET_ADDRESS', address]);
  });

  it.each([
    'In 2020 The Court ruled against it.',
    'I have 3 dogs and 2 cats on my street.',
    'Turn left after 5 Main and walk on.',
    // Lower case only counts after a cue such as "live at" (street-address-lowercase.test.ts).
    'we have 42 oak trees on our street',
  ])('finds no address in %j', (text) => {
    expect(found(text).filter(([type]) => type === 'STREET_ADDRESS')).toEqual([]);
  });
});

describe('person and place names', () => {
  it('finds full names and leaves titles, greetings and possessives outside', () => {
    expect(found("Dear Mr. Henderson, Dr. Maria García and John Smith's dog say hi.")).toEqual([
      ['PERSON', 'Henderson'],
      ['PERSON', 'Maria García'],
      ['PERSON', 'John Smith'],
    ]);
  });

  it('finds names written in lower or upper case when compromise knows them', () => {
    expect(found('my friend john smith, or JOHN SMITH as he signs')).toEqual([
      ['PERSON', 'john smith'],
      ['PERSON', 'JOHN SMITH'],
    ]);
  });

  it('finds towns that are not on the keep-list', () => {
    expect(found('We drove from Leeds to Nottingham, then on to Lake Tahoe.')).toEqual([
      ['PLACE', 'Leeds'],
      ['PLACE', 'Nottingham'],
      ['PLACE', 'Lake Tahoe'],
    ]);
  });

  it('finds a name given after "my name is" or "I\'m" that the tagger does not know', () => {
    expect(found('Hello, my name is kwame. Later: I’m Kwabena Asante, nice to meet you.')).toEqual([
      ['PERSON', 'kwame'],
      ['PERSON', 'Kwabena Asante'],
    ]);
  });

  it('does not take ordinary words after those cues for names', () => {
    expect(found("My name is not important. I'm tired, I'm American, I am Happy to help, call me tomorrow.")).toEqual([]);
  });

  it('does not take month names for people', () => {
    expect(found('We could meet in April or May, June at the latest.')).toEqual([]);
  });

  it('finds names in later sentences of a longer message', () => {
    const text = 'Can you help me rewrite this paragraph? It is for work.\n\nThe heating broke again.\nSarah thinks we should call the landlord. Thanks!';
    expect(found(text)).toEqual([['PERSON', 'Sarah']]);
  });

  it('finds common given names from outside Europe, accents and all', () => {
    expect(found('Yesterday Priya and I argued; later Hiroshi, Łukasz and Sinéad joined.')).toEqual([
      ['PERSON', 'Priya'],
      ['PERSON', 'Hiroshi'],
      ['PERSON', 'Łukasz'],
      ['PERSON', 'Sinéad'],
    ]);
  });

  it('ends a name at a comma or semicolon even where the tagger runs on', () => {
    expect(found('Sign it Kwame Mensah; john smith, Tom')).toEqual([
      ['PERSON', 'Kwame Mensah'],
      ['PERSON', 'john smith'],
      ['PERSON', 'Tom'],
    ]);
  });
});

describe('which sentences go to the tagger', () => {
  const texts = [
    'Can you help me rewrite this paragraph so it sounds more professional? It is for my boss.',
    'Hi! I met John Smith in Leeds yesterday. Then Dr. Maria García from Berlin called.\nThe heating broke.',
    'my friend kwame lives in accra. i visited new york and los angeles. we ate pasta.',
    'Sure! Here is a shorter version.\n\n1. Preheat the oven.\n2. Bake.\n\nBest regards, Sarah',
    'Smithville is nice. Nottingham is far. Lakeside Park is quiet.',
  ];

  it('skips sentences without a possible name', () => {
    const text = texts[0]!;
    expect(nameBearingChunks(text)).toEqual([]);
  });

  it.each(texts)('finds the same names as tagging the whole text: %j', (text) => {
    const whole = findPeopleAndPlaces(text, [{ start: 0, end: text.length }]);
    expect(findPeopleAndPlaces(text)).toEqual(whole);
  });
});

