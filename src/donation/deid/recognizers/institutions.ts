import { compromiseNormal, isGrammarWord, isKnownWord, isListedOnlyAsName, isOrdinaryWord } from '../compromise-lexicon';
import { NEVER_NAMES } from '../data/function-words';
import {
  COMPANY_SUFFIXES, GENERIC_INSTITUTION_WORDS, INSTITUTION_SUFFIXES, KEPT_INSTITUTIONS, LEADING_WORDS, SUFFIXES_AFTER_KIND,
} from '../data/institution-words';
import { CHAT_WORDS } from '../data/not-names';
import { isEnglishWord } from '../english-words';
import type { FoundEntity } from '../found-entity';
import { isWellKnown } from '../keep-list';
import { normalizeName } from '../normalize-name';

/**
 * Schools, universities, hospitals, clinics, churches and employers → INSTITUTION, found three ways:
 *
 * - by the word that ends the name ("Springfield Elementary School", "St. Mary's Hospital",
 *   "Acme Widgets Ltd", "Müller GmbH"): the name words before it, walking back over the kind
 *   ("Elementary", "Medical") to capitalized words, or lower-case words compromise does not know
 *   as everyday words ("lincoln high school");
 * - by the word that starts it ("University of Leeds", "Universität Wien", "Hôpital Saint-Louis");
 * - by a cue ("I work at Greggs", "she works for Initech", "studied at", "graduated from").
 *
 * A name made only of kind words ("High School", "Catholic Church") names no institution, and
 * the few known to millions (data/institution-words.ts) are kept unless a cue says the user
 * works or studies there.
 */
/** Apostrophes only as a possessive ("St. Mary's"): "all'Istituto" is "all" and "Istituto". */
const TOKEN = /[\p{L}\p{N}&][\p{L}\p{M}\p{N}.&-]*(?:['’]s(?![\p{L}]))?/gu;
const SUFFIXES = new Set(INSTITUTION_SUFFIXES);
const AFTER_KIND = new Set(SUFFIXES_AFTER_KIND);
const LEADING = new Set(LEADING_WORDS);
/** English leading words must be capitalized ("the university library" is none); the others are often written in lower case. */
const ENGLISH_LEADING = new Set(['university', 'college', 'institute', 'academy', 'hospital', 'school', 'church', 'cathedral', 'bank']);
const COMPANIES = new Set(COMPANY_SUFFIXES);
const GENERIC = new Set(GENERIC_INSTITUTION_WORDS);
const KEPT = new Set(KEPT_INSTITUTIONS.map(normalizeName));
const NOT_NAMES = new Set([...NEVER_NAMES, ...CHAT_WORDS]);
/** Capitalized at the start of a sentence, or naming a time: never the first word of a name. */
const NOT_A_NAME_START = /^(?:yesterday|today|tomorrow|tonight|last|next|when|after|before|since|during|dear|hi|hello|thanks|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|september|october|november|december)$/iu;
/** Lower-case words allowed between name words: "Our Lady of Lourdes", "Marks & Spencer". */
const CONNECTORS = new Set(['of', 'and', '&', 'de', 'du', 'des', 'der', 'für', 'la', 'le', 'del', 'della', 'da', 'di', 'am', 'an', 'im', 'zum', 'zur', 'w', 'nr', 'no', 'n', 'the']);
const ROLES = String.raw`(?:student|pupil|researcher|lecturer|professor|teacher|nurse|doctor|engineer|developer|intern|volunteer|receptionist|cashier|barista|chef|waiter|waitress|manager|employee|apprentice|trainee|cleaner|driver)`;
const WORK_CUE = new RegExp(
  String.raw`(?<![\p{L}])(?:work(?:s|ed|ing)?\s+(?:at|for)|employed\s+(?:at|by)|(?:job|shift|placement|internship|position|role|apprenticeship|desk|offer)\s+(?:at|from|with)|intern(?:s|ed|ing)?\s+at|stud(?:y|ies|ied|ying)\s+at|graduated\s+from|teach(?:es|ing)?\s+at|taught\s+at|enrolled\s+at|attend(?:s|ed|ing)?|started\s+(?:work(?:ing)?\s+)?at|interview(?:s|ed|ing)?\s+(?:at|with)|applied\s+(?:to|at)|coach(?:es|ed|ing)?\s+(?:\S+\s+)?(?:at|for)|${ROLES}\s+at|estudio\s+en|trabajo\s+(?:en|para)|ich arbeite\s+(?:bei|an|in)|je travaille\s+(?:à|au|chez|pour)|j['’]enseigne\s+(?:à|au)|lavoro\s+(?:a|al|in|per|presso)|insegno\s+(?:a|al|all['’]|alla|presso)|ik werk\s+(?:bij|in)|pracuję\s+w)\s+(?:the\s+|la\s+|el\s+|le\s+|der\s+|die\s+|dem\s+)?`,
  'giu',
);
/** German compounds: "Goethe-Gymnasium", "Marienkrankenhaus", "Grundschule am Buchenweg". */
const GERMAN_COMPOUND = /(?<![\p{L}])\p{Lu}\p{L}{2,}(?:-?(?:schule|gymnasium|klinik|klinikum|krankenhaus|kirche|universität|hochschule)|-(?:Schule|Gymnasium|Klinik|Klinikum|Krankenhaus|Kirche|Universität|Hochschule))(?:[ \t](?:am|an der|im|in der|zum|zur|auf der)[ \t]\p{Lu}[\p{L}-]+)?(?![\p{L}])/gu;

interface Token {
  text: string;
  start: number;
  end: number;
  /** Lower case, without a trailing full stop ("Ltd." → "ltd"). */
  key: string;
}

export function findInstitutions(text: string): FoundEntity[] {
  const tokens = [...text.matchAll(TOKEN)].map((match) => ({
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
    key: match[0].toLowerCase().replace(/\.$/u, ''),
  }));
  const spans: FoundEntity[] = [];
  const add = (start: number, end: number, kept: boolean) => {
    if (end <= start || (kept && KEPT.has(normalizeName(text.slice(start, end).replace(/\.$/u, ''))))) return;
    spans.push({ type: 'INSTITUTION', start, end }, ...townAfter(text, end));
  };
  tokens.forEach((token, i) => {
    if (isSuffix(tokens, i)) {
      const first = nameStartBefore(text, tokens, i);
      if (first !== undefined) add(tokens[first]!.start, endOf(token), true);
    }
    // English ones lead only with "of" ("University of Leeds"; not "Bank and New Amsterdam").
    const english = ENGLISH_LEADING.has(token.key);
    if (LEADING.has(token.key) && (english ? /^\p{Lu}/u.test(token.text) && tokens[i + 1]?.key === 'of' : true)) {
      const last = nameEndAfter(text, tokens, i);
      if (last !== undefined) add(token.start, endOf(tokens[last]!), true);
    }
  });
  for (const match of text.matchAll(GERMAN_COMPOUND)) add(match.index, match.index + match[0].length, true);
  const tokenAt = new Map(tokens.map((token, i) => [token.start, i]));
  for (const match of text.matchAll(WORK_CUE)) {
    let index = tokenAt.get(match.index + match[0].length) ?? -1;
    // "an offer from Initech & Globex and Meridian Data Systems": every name of the list.
    for (let names = 0; index !== -1 && names < 4; names += 1) {
      const last = cueNameEnd(text, tokens, index);
      if (last === undefined) break;
      add(tokens[index]!.start, endOf(tokens[last]!), false);
      index = nextInList(text, tokens, last);
    }
  }
  return spans;
}

/** "The Bell Inn, Wantage -- …", "St Luke's Surgery, Hebden Bridge.": the town an institution is in. */
const TOWN_AFTER = /^,[ \t]*(\p{Lu}[\p{L}'’-]*(?:[ \t]\p{Lu}[\p{L}'’-]*){0,2})(?=[ \t]*(?:[.,;:!?)\n–—-]|$))/u;
function townAfter(text: string, end: number): FoundEntity[] {
  const match = TOWN_AFTER.exec(text.slice(end, end + 60));
  if (match === null || isWellKnown('PLACE', match[1]!)) return [];
  const start = end + match[0].length - match[1]!.length;
  return [{ type: 'PLACE', start, end: start + match[1]!.length }];
}

function isSuffix(tokens: readonly Token[], i: number): boolean {
  const token = tokens[i]!;
  if (SUFFIXES.has(token.key)) return true;
  // "AG", "SA", "Co." in capitals or with their full stop; "co" or "sa" alone are other words.
  if (COMPANIES.has(token.key)) return token.text !== token.key || token.key.length > 3;
  return AFTER_KIND.has(token.key) && /^\p{Lu}/u.test(token.text) && i > 0 && GENERIC.has(tokens[i - 1]!.key);
}

/** After a name in a list, the index of the next one: ", Globex", " and Meridian", " & Hooli". */
function nextInList(text: string, tokens: readonly Token[], last: number): number {
  const joiner = tokens[last + 1];
  if (joiner !== undefined && ['and', 'or', '&'].includes(joiner.key) && adjacent(text, tokens[last]!, joiner)) {
    const next = tokens[last + 2];
    return next !== undefined && adjacent(text, joiner, next) && /^\p{Lu}/u.test(next.text) ? last + 2 : -1;
  }
  const next = tokens[last + 1];
  return next !== undefined && /^,[ \t]+$/u.test(text.slice(tokens[last]!.end, next.start)) && /^\p{Lu}/u.test(next.text) ? last + 1 : -1;
}

/** "Hospital." at the end of a sentence: the full stop is the sentence's; "Ltd." keeps its own. */
function endOf(token: Token): number {
  return token.text.endsWith('.') && !COMPANIES.has(token.key) ? token.end - 1 : token.end;
}

/** Only spaces between two tokens; a company form may follow a comma ("Initech, Inc."). */
function adjacent(text: string, left: Token, right: Token, allowComma = false): boolean {
  const gap = text.slice(left.end, right.start);
  return /^[ \t]+$/u.test(gap) || (allowComma && /^,[ \t]+$/u.test(gap));
}

function isNameWord(token: Token): boolean {
  const word = token.text.replace(/['’]s$/u, '');
  if (NOT_NAMES.has(token.key) || isGrammarWord(word)) return false;
  if (/^\p{Lu}/u.test(word) || /^\p{N}/u.test(word)) return !NOT_A_NAME_START.test(word) && !(GENERIC.has(token.key) && isGrammarWord(word));
  if (word.length < 3 || GENERIC.has(token.key) || isOrdinaryWord(word)) return false;
  return isListedOnlyAsName(word) || !isEnglishWord(word);
}

/** Walks back from the suffix at `index` over kind words, then name words; the first name word's index. */
function nameStartBefore(text: string, tokens: readonly Token[], index: number): number | undefined {
  let j = index - 1;
  const isCompany = COMPANIES.has(tokens[index]!.key);
  if (j >= 0 && !adjacent(text, tokens[j]!, tokens[j + 1]!, isCompany)) return undefined;
  while (j >= 0 && GENERIC.has(tokens[j]!.key) && !isGrammarWord(tokens[j]!.text) && adjacent(text, tokens[j]!, tokens[j + 1]!, isCompany)) j -= 1;
  let first: number | undefined;
  for (let words = 0; j >= 0 && words < 5; j -= 1) {
    const token = tokens[j]!;
    if (!adjacent(text, token, tokens[j + 1]!, isCompany && j === index - 1)) break;
    if (isNameWord(token)) {
      first = j;
      words += 1;
    } else if (!(CONNECTORS.has(token.key) && token.key !== 'the' && j > 0 && isNameWord(tokens[j - 1]!) && /^\p{Lu}/u.test(tokens[j - 1]!.text))) {
      break;
    }
  }
  // "High School", "Catholic Church", "Royal Hospital": only kind words name no institution.
  if (first === undefined || tokens.slice(first, index).every((token) => GENERIC.has(token.key) || CONNECTORS.has(token.key))) return undefined;
  return first;
}

/** "University of Leeds", "Universität Wien": capitalized words (and connectors) after the leading word. */
function nameEndAfter(text: string, tokens: readonly Token[], index: number): number | undefined {
  let last: number | undefined;
  for (let j = index + 1; j < tokens.length && j <= index + 8; j += 1) {
    const token = tokens[j]!;
    if (!adjacent(text, tokens[j - 1]!, token)) break;
    const numbered = /^\p{N}/u.test(token.text) && ['nr', 'no', 'n'].includes(tokens[j - 1]!.key);
    if ((/^\p{Lu}/u.test(token.text) && isNameWord(token)) || numbered) last = j;
    else if (token.key === 'and' || !(CONNECTORS.has(token.key) && tokens[j + 1] !== undefined && /^[\p{Lu}\p{N}]/u.test(tokens[j + 1]!.text))) break;
  }
  // "Universidad Complutense" names one; "University Hospital" alone does not.
  if (last === undefined || tokens.slice(index + 1, last + 1).every((token) => GENERIC.has(token.key) || CONNECTORS.has(token.key))) return undefined;
  return last;
}

/** After "I work at": capitalized name words (with connectors), or one lower-case word compromise does not know. */
function cueNameEnd(text: string, tokens: readonly Token[], index: number): number | undefined {
  const head = tokens[index]!;
  if (!/^[\p{Lu}\p{N}]/u.test(head.text)) {
    const word = head.text;
    // Unknown to compromise ("greggs") or known as a name or organization ("tesco"), never "home".
    const nameLike = word.length >= 3 && /^\p{L}+$/u.test(word) && !NOT_NAMES.has(head.key) && !isOrdinaryWord(word) && (!isEnglishWord(word) || isKnownWord(compromiseNormal(word)));
    return nameLike && !isListedOnlyAsName(word) && !isGrammarWord(word) ? index : undefined;
  }
  if (!isNameWord(head) || (isListedOnlyAsName(head.text) && !adjacentCapital(text, tokens, index))) return undefined;
  let last = index;
  for (let j = index + 1; j < tokens.length && j <= index + 5; j += 1) {
    const token = tokens[j]!;
    if (!adjacent(text, tokens[j - 1]!, token, COMPANIES.has(token.key))) break;
    if (/^[\p{Lu}\p{N}&]/u.test(token.text) && !NOT_A_NAME_START.test(token.text)) last = j;
    else if (token.key === 'and' || !(CONNECTORS.has(token.key) && tokens[j + 1] !== undefined && /^\p{Lu}/u.test(tokens[j + 1]!.text))) break;
  }
  return last;
}

/** "I work for Sarah" names a person (left to the person recognizers); "I work for Sarah Lee Ltd" does not. */
function adjacentCapital(text: string, tokens: readonly Token[], index: number): boolean {
  const next = tokens[index + 1];
  return next !== undefined && adjacent(text, tokens[index]!, next) && /^\p{Lu}/u.test(next.text);
}
