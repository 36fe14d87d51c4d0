import { describe, expect, it } from 'vitest';
import { findEntities } from '../../../src/donation/deid';
import type { FoundEntity } from '../../../src/donation/deid';
import { mergeSpans, TYPE_PRIORITY } from '../../../src/donation/deid/merge-spans';

const span = (type: FoundEntity['type'], start: number, end: number): FoundEntity => ({ type, start, end });

describe('merging spans', () => {
  it('sorts the spans and leaves apart those that only touch', () => {
    expect(mergeSpans([span('PLACE', 10, 15), span('PERSON', 0, 5), span('EMAIL', 5, 10)])).toEqual([
      span('PERSON', 0, 5),
      span('EMAIL', 5, 10),
      span('PLACE', 10, 15),
    ]);
  });

  it('joins partly overlapping spans into their union, typed by priority', () => {
    expect(mergeSpans([span('PERSON', 0, 10), span('PHONE', 8, 20)])).toEqual([span('PHONE', 0, 20)]);
    expect(mergeSpans([span('PLACE', 0, 10), span('STREET_ADDRESS', 5, 12), span('PERSON', 11, 14)])).toEqual([
      span('STREET_ADDRESS', 0, 14),
    ]);
  });

  it('lets a span that covers the whole group absorb the others, whatever their priority', () => {
    expect(mergeSpans([span('STREET_ADDRESS', 0, 30), span('PHONE', 10, 22)])).toEqual([span('STREET_ADDRESS', 0, 30)]);
    expect(mergeSpans([span('URL', 0, 40), span('EMAIL', 20, 35)])).toEqual([span('URL', 0, 40)]);
  });

  it('decides identical spans by priority, the declared term first', () => {
    expect(mergeSpans([span('PERSON', 3, 8), span('DECLARED_TERM', 3, 8), span('PLACE', 3, 8)])).toEqual([span('DECLARED_TERM', 3, 8)]);
    expect(TYPE_PRIORITY[0]).toBe('DECLARED_TERM');
    expect(TYPE_PRIORITY.at(-1)).toBe('PLACE');
  });

  it('drops empty spans', () => {
    expect(mergeSpans([span('EMAIL', 4, 4)])).toEqual([]);
  });
});

describe('overlaps between recognizers in real text', () => {
  const found = (text: string, declaredTerms: string[] = []) =>
    findEntities(text, { declaredTerms }).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);

  it('an e-mail that contains a name (here declared) stays one e-mail', () => {
    expect(found('Write to John.Smith@example.com or to John.', ['John', 'Smith'])).toEqual([
      ['EMAIL', 'John.Smith@example.com'],
      ['DECLARED_TERM', 'John'],
    ]);
  });

  it('a link with an e-mail in its query stays one link', () => {
    expect(found('Open https://example.com/invite?to=bob@example.org&x=1 now')).toEqual([
      ['URL', 'https://example.com/invite?to=bob@example.org&x=1'],
    ]);
  });

  it('a phone number that runs into an address becomes one span, nothing left over', () => {
    const text = 'Unit 2125550143, 5 Oak Road';
    expect(found(text)).toEqual([['PHONE', '2125550143'], ['STREET_ADDRESS', '5 Oak Road']]);
    // The address recognizer stops at a unit that is really a phone number.
    expect(found('42 Oak Street, Suite 212-555-0143')).toEqual([
      ['STREET_ADDRESS', '42 Oak Street'],
      ['PHONE', '212-555-0143'],
    ]);
  });

  it('a person name that is also a declared term is the declared term', () => {
    expect(found('I met John Smith yesterday.')).toEqual([['PERSON', 'John Smith']]);
    expect(found('I met John Smith yesterday.', ['john smith'])).toEqual([['DECLARED_TERM', 'John Smith']]);
  });

  it('a declared part of a longer name is absorbed by the name', () => {
    expect(found('I met John Smith yesterday.', ['Smith'])).toEqual([['PERSON', 'John Smith']]);
  });
});
