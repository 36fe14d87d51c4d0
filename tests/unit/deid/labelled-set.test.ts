/**
 * Integrity of the hand-labelled de-identification set (bench/deid-data/labelled.jsonl) that
 * `npm run bench:deid` measures recall on. Only the data is checked here, never the recall:
 * that is an evaluation with targets to work towards, not a gate.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, GROUPS, LABELLED_SET_PATH, loadLabelledSet, parseLabelledLine } from '../../../bench/deid-eval/labelled-set';

const MIN_MESSAGES = 300;
const MIN_CLEAN = 80;
/** Fewer than this and one message moves a category's recall by more than a target's margin. */
const MIN_PER_CATEGORY = 10;

describe('labelled de-identification set', () => {
  const messages = loadLabelledSet();

  it('has one JSON object per non-blank line', () => {
    const lines = readFileSync(LABELLED_SET_PATH, 'utf8').split('\n').filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(messages.length);
  });

  it('has unique ids', () => {
    const ids = messages.map((message) => message.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('labels only exact substrings of the message', () => {
    const notFound = messages.flatMap((message) =>
      message.identifiers.filter((identifier) => !message.text.includes(identifier.text)).map((identifier) => `${message.id}: ${identifier.text}`),
    );
    expect(notFound).toEqual([]);
  });

  it(`has at least ${MIN_MESSAGES} messages, ${MIN_CLEAN} of them clean`, () => {
    expect(messages.length).toBeGreaterThanOrEqual(MIN_MESSAGES);
    expect(messages.filter((message) => message.clean).length).toBeGreaterThanOrEqual(MIN_CLEAN);
  });

  it('marks exactly the messages without identifiers as clean', () => {
    for (const message of messages) expect(message.clean, message.id).toBe(message.identifiers.length === 0);
  });

  it(`covers every category with at least ${MIN_PER_CATEGORY} identifiers`, () => {
    const counts = new Map<string, number>();
    for (const message of messages) for (const { category } of message.identifiers) counts.set(category, (counts.get(category) ?? 0) + 1);
    const thin = CATEGORIES.filter((category) => (counts.get(category) ?? 0) < MIN_PER_CATEGORY);
    expect(thin).toEqual([]);
  });

  it('puts every category in exactly one target group', () => {
    for (const category of CATEGORIES) expect(GROUPS.filter((group) => group.categories.includes(category)), category).toHaveLength(1);
  });

  it('uses only reserved e-mail domains (example.com/net/org or the .example TLD), never real addresses', () => {
    const domains = messages.flatMap((message) => message.identifiers.filter((identifier) => identifier.category === 'EMAIL'))
      .map((identifier) => identifier.text.split('@')[1]!.toLowerCase());
    expect(domains.filter((domain) => !/(^|\.)example(\.(com|net|org))?$/u.test(domain))).toEqual([]);
  });

  it('rejects a line whose identifier is not in its text, and a clean line with identifiers', () => {
    const line = (fields: object) => JSON.stringify({ id: 'x', text: 'call me on 07700 900123', clean: false, ...fields });
    expect(() => parseLabelledLine(line({ identifiers: [{ text: '07700 900124', category: 'PHONE' }] }))).toThrow(/not a substring/u);
    expect(() => parseLabelledLine(line({ identifiers: [{ text: '07700 900123', category: 'TELEPHONE' }] }))).toThrow(/unknown category/u);
    expect(() => parseLabelledLine(line({ identifiers: [{ text: '07700 900123', category: 'PHONE' }], clean: true }))).toThrow(/clean message/u);
    expect(parseLabelledLine(line({ identifiers: [{ text: '07700 900123', category: 'PHONE' }] })).identifiers).toHaveLength(1);
  });
});
