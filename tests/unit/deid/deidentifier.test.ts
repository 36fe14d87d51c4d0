import { describe, expect, it } from 'vitest';
import { createDeidentifier, DEID_METHOD, DEID_METHOD_VERSION, findEntities } from '../../../src/donation/deid';
import type { RedactionResult } from '../../../src/donation/deid';

const MIXED =
  'Hi, I am writing for my neighbour Kwabena Asante (kwabena@example.org, +44 20 7946 0958). ' +
  'He was born on 1990-04-12 and lives at 42 Oak Street, Apt 4B in Leeds. His card 4111 1111 1111 1111 ' +
  'and IBAN GB82 WEST 1234 5698 7654 32 were stolen; see https://example.com/report?id=7 from 10.0.0.7. SSN 123-45-6789.';

/** Every entity and placeholder offset points at what it claims to. */
function expectConsistentOffsets(text: string, result: RedactionResult): void {
  expect(result.placeholders).toHaveLength(result.entities.length);
  result.entities.forEach((entity, i) => {
    const placeholder = result.placeholders[i]!;
    expect(placeholder.type).toBe(entity.type);
    expect(result.redacted.slice(placeholder.start, placeholder.end)).toMatch(new RegExp(`^\\[${entity.type}_\\d+\\]$`));
    expect(entity.end).toBeGreaterThan(entity.start);
    if (i > 0) expect(entity.start).toBeGreaterThanOrEqual(result.entities[i - 1]!.end);
  });
  // Putting the original spans back where the placeholders are gives the input again.
  let rebuilt = result.redacted;
  for (let i = result.entities.length - 1; i >= 0; i -= 1) {
    const { start, end } = result.placeholders[i]!;
    rebuilt = rebuilt.slice(0, start) + text.slice(result.entities[i]!.start, result.entities[i]!.end) + rebuilt.slice(end);
  }
  expect(rebuilt).toBe(text);
}

describe('createDeidentifier().redact', () => {
  it('replaces every kind of entity in a mixed message with typed placeholders', () => {
    const result = createDeidentifier().redact(MIXED);
    expect(result.redacted).toBe(
      'Hi, I am writing for my neighbour [PERSON_1] ([EMAIL_1], [PHONE_1]). ' +
        'He was born on [DATE_OF_BIRTH_1] and lives at [STREET_ADDRESS_1] in [PLACE_1]. His card [CREDIT_CARD_1] ' +
        'and IBAN [IBAN_1] were stolen; see [URL_1] from [IP_ADDRESS_1]. SSN [US_SSN_1].',
    );
    expectConsistentOffsets(MIXED, result);
  });

  it('reports offsets into the input: text.slice(start, end) is the entity', () => {
    const text = 'Zoë 👋 mailed zoë@example.com from 🇫🇷 at 10.1.2.3';
    const result = createDeidentifier({ declaredTerms: ['Zoë'] }).redact(text);
    expect(result.entities.map((entity) => text.slice(entity.start, entity.end))).toEqual(['Zoë', 'zoë@example.com', '10.1.2.3']);
    expectConsistentOffsets(text, result);
  });

  it('gives the same value the same placeholder across calls, and a different value the next number', () => {
    const deidentifier = createDeidentifier();
    expect(deidentifier.redact('mail ada@example.com').redacted).toBe('mail [EMAIL_1]');
    expect(deidentifier.redact('or ADA@Example.COM').redacted).toBe('or [EMAIL_1]');
    expect(deidentifier.redact('not bob@example.com').redacted).toBe('not [EMAIL_2]');
    expect(deidentifier.redact('ada@example.com and bob@example.com').redacted).toBe('[EMAIL_1] and [EMAIL_2]');
    expect(createDeidentifier().redact('not bob@example.com').redacted).toBe('not [EMAIL_1]');
  });

  it('normalizes values before numbering them: phones by E.164, cards and IBANs by their characters, names by case and spacing', () => {
    const deidentifier = createDeidentifier({ declaredTerms: ['Ada Lovelace'] });
    const { redacted } = deidentifier.redact(
      '(415) 555-2671 = +1 415 555 2671; 4111-1111-1111-1111 = 4111111111111111; ' +
        'GB82WEST12345698765432 = GB82 WEST 1234 5698 7654 32; ADA   lovelace = Ada Lovelace; john smith = JOHN SMITH',
    );
    expect(redacted).toBe(
      '[PHONE_1] = [PHONE_1]; [CREDIT_CARD_1] = [CREDIT_CARD_1]; [IBAN_1] = [IBAN_1]; ' +
        '[DECLARED_TERM_1] = [DECLARED_TERM_1]; [PERSON_1] = [PERSON_1]',
    );
  });

  it('numbers each type on its own', () => {
    const { redacted } = createDeidentifier().redact('ada@example.com, 212-555-0143, bob@example.com, 415-555-2671');
    expect(redacted).toBe('[EMAIL_1], [PHONE_1], [EMAIL_2], [PHONE_2]');
  });

  it('changes nothing when run again on its own output, with the same or a fresh de-identifier', () => {
    const deidentifier = createDeidentifier();
    const once = deidentifier.redact(MIXED);
    const again = deidentifier.redact(once.redacted);
    expect(again.redacted).toBe(once.redacted);
    expect(again.entities).toEqual([]);
    expect(createDeidentifier().redact(once.redacted).redacted).toBe(once.redacted);
  });

  it('redacts new entities next to placeholders already in the text', () => {
    const { redacted } = createDeidentifier().redact('[EMAIL_1] wrote to bob@example.com');
    expect(redacted).toBe('[EMAIL_1] wrote to [EMAIL_1]');
  });

  it('returns empty text unchanged', () => {
    expect(createDeidentifier().redact('')).toEqual({ redacted: '', entities: [], placeholders: [] });
  });

  it('finds the same spans as findEntities', () => {
    expect(createDeidentifier().redact(MIXED).entities).toEqual(findEntities(MIXED));
  });
});

describe('createDeidentifier().report', () => {
  it('counts replaced spans per type (a repeated value counts each time) with the method and version', () => {
    const deidentifier = createDeidentifier({ declaredTerms: ['Acme'] });
    expect(deidentifier.report()).toEqual({ method: DEID_METHOD, methodVersion: DEID_METHOD_VERSION, counts: {} });
    deidentifier.redact('ada@example.com at Acme, ada@example.com again');
    deidentifier.redact('call 212-555-0143 or bob@example.com');
    expect(deidentifier.report()).toEqual({
      method: 'feedback-chat-deid',
      methodVersion: '2',
      counts: { EMAIL: 3, DECLARED_TERM: 1, PHONE: 1 },
    });
  });

  it('hands out a copy that later redactions do not change', () => {
    const deidentifier = createDeidentifier();
    deidentifier.redact('ada@example.com');
    const before = deidentifier.report();
    deidentifier.redact('bob@example.com');
    expect(before.counts).toEqual({ EMAIL: 1 });
    expect(deidentifier.report().counts).toEqual({ EMAIL: 2 });
  });
});
