import { describe, expect, it } from 'vitest';
import { createDeidentifier, findEntities } from '../../../src/donation/deid';
import { isWellKnown, KEEP_LIST_SIZES } from '../../../src/donation/deid/keep-list';

describe('what is deliberately kept', () => {
  it('keeps well-known public figures and places from the list', () => {
    const text = 'What did Albert Einstein think of Paris? Barack Obama visited Japan, Brazil and New York; Shakespeare never saw Texas.';
    expect(findEntities(text)).toEqual([]);
  });

  it('still redacts private people and small places next to them', () => {
    const text = 'My neighbour Kwabena Asante moved from Leeds to London like Einstein.';
    const kinds = findEntities(text).map((entity) => [entity.type, text.slice(entity.start, entity.end)]);
    expect(kinds).toEqual([
      ['PERSON', 'Kwabena Asante'],
      ['PLACE', 'Leeds'],
    ]);
  });

  it('checks only the people list for a person: a friend called Georgia is not a country', () => {
    expect(isWellKnown('PLACE', 'Georgia')).toBe(true);
    expect(isWellKnown('PERSON', 'Georgia')).toBe(false);
    expect(isWellKnown('PERSON', 'barack  OBAMA')).toBe(true);
    expect(isWellKnown('PLACE', 'Paris, France')).toBe(true);
    expect(isWellKnown('PLACE', 'Leeds, England')).toBe(false);
    expect(isWellKnown('EMAIL', 'paris')).toBe(false);
  });

  it('keeps the list short and curated', () => {
    expect(KEEP_LIST_SIZES.people).toBeGreaterThan(50);
    expect(KEEP_LIST_SIZES.people).toBeLessThan(300);
    expect(KEEP_LIST_SIZES.places).toBeLessThan(500);
  });

  it('keeps plain dates and the placeholders themselves', () => {
    const text = 'Due 2024-05-01. Ask [PERSON_1] at [EMAIL_2].';
    const result = createDeidentifier().redact(text);
    expect(result.entities).toEqual([]);
    expect(result.redacted).toBe(text);
  });

  it('no longer keeps numbers that fail their checksum: shaped like a card, IBAN or SSN is enough', () => {
    const text = 'Card 4111 1111 1111 1112, IBAN GB82 WEST 1234 5698 7654 33, SSN 666-12-3456.';
    expect(createDeidentifier().redact(text).redacted).toBe('Card [CREDIT_CARD_1], IBAN [IBAN_1], SSN [US_SSN_1].');
  });
});
