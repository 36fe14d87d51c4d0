import { describe, expect, it } from 'vitest';
import { findRemainingRisks, type RemainingRisk } from '../../../src/donation/remaining-risks';

/** A dictionary the test controls: only these words are everyday ones. */
const everyday = (words: string[]) => (word: string) => words.includes(word.toLowerCase());
const nothingEveryday = everyday([]);

const texts = (risks: RemainingRisk[]) => risks.map((risk) => risk.text);
const kinds = (risks: RemainingRisk[], text: string) => risks.find((risk) => risk.text === text)?.reasons.map((reason) => reason.kind);

describe('findRemainingRisks', () => {
  it('flags the phone, town, state and ZIP the issue found unchanged, whatever the recognizers made of them', () => {
    // The text as it went out: nothing was replaced around these.
    const risks = findRemainingRisks(['My mobile is 07700 900123, and I live in Springfield, IL 62704.'], nothingEveryday);
    expect(texts(risks)).toEqual(['07700 900123', 'Springfield', 'IL', '62704']);
    expect(kinds(risks, '07700 900123')).toEqual(['digits']);
    expect(risks.find((risk) => risk.text === 'Springfield')?.reasons).toEqual([{ kind: 'after-cue', cue: 'I live in' }]);
  });

  it('reads past placeholders and commas after a cue, and stops at the end of the sentence', () => {
    const risks = findRemainingRisks(['I live at [STREET_ADDRESS_1], Springfield, IL. Rain Today was heavy.'], nothingEveryday);
    expect(texts(risks)).toEqual(['Springfield', 'IL']);
  });

  it('takes a run of capitalised words as one name, joined by "of" and the like', () => {
    const risks = findRemainingRisks(['I work at the University of Leeds? No: I work at University of Leeds and at Globex Corporation.'], nothingEveryday);
    expect(texts(risks)).toEqual(['University of Leeds']);
    expect(texts(findRemainingRisks(['I work for Globex Corporation, in Leeds.'], nothingEveryday))).toEqual(['Globex Corporation']);
  });

  it('knows "my … is" cues, names after "my name is" and "call me", and leaves lower-case words alone', () => {
    const risks = findRemainingRisks(["My dog is Rex. My wife's name is Ana. Call me Jo. My plan is simple.", 'my favourite town was Kingston'], nothingEveryday);
    expect(texts(risks)).toEqual(['Rex', 'Ana', 'Jo', 'Kingston']);
    expect(risks[0]!.reasons).toEqual([{ kind: 'after-cue', cue: 'My dog is' }]);
  });

  it('does not take an everyday word after a bare "I\'m" for a name, but does after a stronger cue', () => {
    const words = everyday(['sorry', 'happy']);
    expect(texts(findRemainingRisks(["I'm Sorry, I'm Happy to help. I'm Kwame."], words))).toEqual(['Kwame']);
    expect(texts(findRemainingRisks(['My mood is Happy.'], words))).toEqual(['Happy']);
  });

  it('flags long digit runs: five in a row, or seven in groups, but not dates, years or short numbers', () => {
    const risks = findRemainingRisks(['Ticket 48213977, call 555-0132 or 415 555 0132; born 1990-05-17, in 2023 at 10:30, paid 1,250 for 3 items, pin 1234.'], nothingEveryday);
    expect(texts(risks)).toEqual(['48213977', '555-0132', '415 555 0132']);
  });

  it('never counts a placeholder, nor digits inside one', () => {
    expect(findRemainingRisks(['Call [PHONE_12345] or write to [EMAIL_1]. My name is [PERSON_1].'], nothingEveryday)).toEqual([]);
  });

  it('flags an unknown capitalised word used mid-sentence in more than one text', () => {
    const risks = findRemainingRisks(['We met at Zorblatt last year.', 'Zorblatt again? Sure.', 'Monday is fine, said Monday.'], everyday(['monday', 'sure']));
    expect(texts(risks)).toEqual(['Zorblatt']);
    expect(risks[0]!.reasons).toEqual([{ kind: 'recurring', texts: 2 }]);
  });

  it('takes capitalised words in a row as one name, less the everyday words that only start a sentence', () => {
    const words = everyday(['hello', 'stark']);
    expect(texts(findRemainingRisks(['Hello Jane Smith, see you.', 'We told Jane Smith on Monday.'], words))).toEqual(['Jane Smith']);
    expect(texts(findRemainingRisks(['I drive for Stark Freight.', 'Stark Freight pays on Fridays.'], words))).toEqual(['Stark Freight']);
    // What a recognizer replaced after "I work at" but not where it came back without the cue.
    const risks = findRemainingRisks(['I work at [INSTITUTION_1].', 'They called from Frobnitz Labs today.', 'Say hi to Frobnitz Labs.'], words);
    expect(texts(risks)).toEqual(['Frobnitz Labs']);
    expect(risks[0]!.context).toBe('They called from Frobnitz Labs today.');
  });

  it('leaves a recurring word that also appears in lower case, or only ever starts a sentence', () => {
    const risks = findRemainingRisks(['Table for two. The Table was set.', 'a table, please', 'Bake it. Bake it again.', 'Bake the bread.'], nothingEveryday);
    expect(risks).toEqual([]);
  });

  it('lists each string once, with every sign that found it, where a reader first meets it', () => {
    const risks = findRemainingRisks(['Hello from Zorblatt.', 'I work at Zorblatt, honestly.', 'Zorblatt pays 123456 a year.'], nothingEveryday);
    expect(texts(risks)).toEqual(['Zorblatt', '123456']);
    expect(kinds(risks, 'Zorblatt')).toEqual(['after-cue', 'recurring']);
    expect(risks[0]!.context).toBe('Hello from Zorblatt.');
  });

  it('gives the words around the first appearance, on one line', () => {
    const long = `${'word '.repeat(20)}My code is 98765 and\nthen ${'more '.repeat(20)}`;
    const [risk] = findRemainingRisks([long], nothingEveryday);
    expect(risk!.text).toBe('98765');
    expect(risk!.context).toMatch(/^….*My code is 98765 and then .*…$/);
    expect(risk!.context).not.toContain('\n');
  });

  it('uses the dictionary by default: everyday words are not names, unknown ones are', () => {
    const risks = findRemainingRisks(['Thanks, and hello again from Globex.', 'Thanks from Globex, once more.']);
    expect(texts(risks)).toEqual(['Globex']);
  });
});
