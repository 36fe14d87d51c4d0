import { describe, expect, it } from 'vitest';
import { findEntities } from '../../../src/donation/deid';

const found = (text: string, declaredTerms: string[]) =>
  findEntities(text, { declaredTerms }).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);

describe('declared terms', () => {
  it('finds the terms in any letter case', () => {
    expect(found('I work at ACME WIDGETS, acme widgets, Acme Widgets.', ['Acme Widgets'])).toEqual([
      ['DECLARED_TERM', 'ACME WIDGETS'],
      ['DECLARED_TERM', 'acme widgets'],
      ['DECLARED_TERM', 'Acme Widgets'],
    ]);
  });

  it('matches whole words only, in any script', () => {
    expect(found('Zoë and ZOË, but not Zoëlle or ZoëX; Ørsted yes, Ørstedvej no', ['zoë', 'ørsted'])).toEqual([
      ['DECLARED_TERM', 'Zoë'],
      ['DECLARED_TERM', 'ZOË'],
      ['DECLARED_TERM', 'Ørsted'],
    ]);
  });

  it('matches a term typed with a combining accent', () => {
    const decomposed = 'Zoe\u0308 said so';
    expect(found(decomposed, ['Zoë'])).toEqual([['DECLARED_TERM', 'Zoe\u0308']]);
  });

  it('treats regex special characters literally', () => {
    // "Cxx Corp" and "C Corp." are companies to the institution recognizer; only the declared terms matter here.
    const declared = (text: string, terms: string[]) => found(text, terms).filter(([type]) => type === 'DECLARED_TERM');
    expect(declared('I code at C++ Corp (Berlin) and [Team.X]; not at Cxx Corp or C Corp.', ['C++ Corp', '[Team.X]', 'a|b'])).toEqual([
      ['DECLARED_TERM', 'C++ Corp'],
      ['DECLARED_TERM', '[Team.X]'],
    ]);
    expect(found('choose a or b', ['a|b'])).toEqual([]);
  });

  it('lets whitespace inside a term match any run of whitespace, and prefers the longest term', () => {
    expect(found('New   Amsterdam Bank and New Amsterdam', ['New Amsterdam', 'New Amsterdam Bank'])).toEqual([
      ['DECLARED_TERM', 'New   Amsterdam Bank'],
      ['DECLARED_TERM', 'New Amsterdam'],
    ]);
  });

  it('ignores empty and blank terms, and trims the others', () => {
    expect(found('a plain sentence about Rivendell', ['', '   ', '\n', ' Rivendell '])).toEqual([['DECLARED_TERM', 'Rivendell']]);
    expect(found('a plain sentence', ['', ' '])).toEqual([]);
  });

  it('wins over the keep-list: a declared well-known city is redacted', () => {
    // Not "I live in Paris": a personal cue redacts a big city anyway (places-gazetteer.ts).
    expect(found('Paris is lovely in May, and so is Berlin.', [])).toEqual([]);
    expect(found('Paris is lovely in May, and so is Berlin.', ['paris'])).toEqual([['DECLARED_TERM', 'Paris']]);
  });
});
