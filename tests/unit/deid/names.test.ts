import { describe, expect, it } from 'vitest';
import { createDeidentifier, findEntities } from '../../../src/donation/deid';
import { keptNameRanges } from '../../../src/donation/deid/whole-names';

const found = (text: string) => findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);
const people = (text: string) => found(text).filter(([type]) => type === 'PERSON').map(([, name]) => name);

describe('names after cues, in any case', () => {
  it.each([
    ['my gf leilani keeps saying i never plan anything', 'leilani'],
    ['me and baz are going camping', 'baz'],
    ['baz and i are going camping', 'baz'],
    ['dr. adeyemi said my iron is low', 'adeyemi'],
    ['Mrs. Brown called again', 'Brown'],
    ['my son Hunter is five', 'Hunter'],
    ['so my boss, Zorah, said no', 'Zorah'],
    ["i'm priya and i need help", 'priya'],
    ['write a eulogy for my grandad Wilf', 'Wilf'],
    ['chidinma my flatmate never cleans', 'chidinma'],
    ['a girl called Imogen copies my work', 'Imogen'],
    ['ask Hamish if he is free', 'Hamish'],
    ['moja teściowa Halina krytykuje', 'Halina'],
    ['mi jefe Álvaro me grita', 'Álvaro'],
    ['unser Sohn Finn will nicht', 'Finn'],
    ['my friend kwame mensah came round', 'kwame mensah'],
  ])('finds the person in %j', (text, name) => {
    expect(people(text)).toContain(name);
  });

  it.each([
    "I'm Vegan and I love it.",
    "I'm Irish, I'm tired, I'm ADHD.",
    'my bf rn is annoying',
    'my brother will help, my mom said no',
    'moja córka chodzi do szkoły',
    'what did Angela Merkel study at university',
    'grace period on my credit card is 25 days',
    'quanto costa più o meno un biglietto?',
    'call Mum, ask Google, text me',
    'docker run nginx:1.25.3-alpine and i cant reach it',
  ])('finds no person in %j', (text) => {
    expect(people(text)).toEqual([]);
  });
});

describe('family names', () => {
  it('knows family names from many cultures, and a family name with its particle', () => {
    expect(people('Okafor and Nguyen were there, then Kowalski.')).toEqual(['Okafor', 'Nguyen', 'Kowalski']);
    expect(people('Marieke de Vries is mijn nieuwe collega')).toEqual(['Marieke de Vries']);
  });
});

describe('famous names are kept or removed whole', () => {
  it('never leaves half of a kept name', () => {
    expect(found("Taylor Swift's new album is out.")).toEqual([]);
    expect(found('How much did Shah Rukh Khan make? May I ask whether Will Smith won?')).toEqual([]);
  });

  it('still finds a friend who shares a famous first name', () => {
    expect(people('I love Taylor Swift and my friend Taylor too')).toEqual(['Taylor']);
  });

  it('locates kept multi-word names in text, possessives included', () => {
    const text = "Barack Obama's speech";
    expect(keptNameRanges(text)).toEqual([{ start: 0, end: 'Barack Obama'.length }]);
  });
});

describe('names that recur in a bundle', () => {
  it('replaces a name found once wherever it recurs, in later messages and in any case', () => {
    const deid = createDeidentifier();
    expect(deid.redact('my gf leilani is mad at me').redacted).toBe('my gf [PERSON_1] is mad at me');
    expect(deid.redact("Leilani says hi. leilani's mum too").redacted).toBe("[PERSON_1] says hi. [PERSON_1]'s mum too");
  });

  it('finds a recurring name earlier in the same message', () => {
    expect(createDeidentifier().redact('baz is late again. me and baz had plans').redacted).toBe('[PERSON_1] is late again. me and [PERSON_1] had plans');
  });

  it('remembers the parts of a full name one by one', () => {
    const deid = createDeidentifier();
    deid.redact('My neighbour Kwabena Asante came over');
    expect(deid.redact('Asante said so').redacted).toBe('[PERSON_2] said so');
  });

  it('lets a name that is also a word recur only capitalized', () => {
    const deid = createDeidentifier();
    deid.redact('my daughter Grace is four');
    expect(deid.redact('Grace liked it; the grace period ends').redacted).toBe('[PERSON_1] liked it; the grace period ends');
  });

  it('forgets everything with a new de-identifier (a new bundle)', () => {
    const first = createDeidentifier();
    first.redact('me and baz went out');
    expect(first.redact('baz says hi').redacted).toBe('[PERSON_1] says hi');
    expect(createDeidentifier().redact('baz says hi').redacted).toBe('baz says hi');
  });
});
