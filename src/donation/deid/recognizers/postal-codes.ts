import type { FoundEntity } from '../found-entity';
import { regexSpans } from '../regex-spans';
import { isTownWordAt } from './town-words';
import { wordStarts } from './word-starts';

const NOT_AFTER = String.raw`(?<![\p{L}\p{N}])`;
const NOT_BEFORE = String.raw`(?![\p{L}\p{N}]|-\d)`;

const US_STATE_CODES = 'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR';
const US_STATE_NAMES = [
  'Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas',
  'Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire',
  'New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina',
  'South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico',
].join('|');
/**
 * A ZIP (or ZIP+4) after a state: "Springfield, IL 62704", "Kettering, ohio 45429"; the state
 * itself is kept. Two-letter codes only in capitals ("in 12345" is no Indiana). Found from the
 * digits, then the state is looked for right before them.
 */
const ZIP = /\d{5}(?:-\d{4})?(?![\p{L}\p{N}]|-\d)/gu;
const STATE_CODE_BEFORE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${US_STATE_CODES})\.?[ \t]{1,2}$`, 'u');
const STATE_NAME_BEFORE = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:${US_STATE_NAMES})[ \t]{1,2}$`, 'iu');
/** Longer than "South Carolina" with a dot and two spaces. */
const STATE_REACH = 20;

/**
 * An Indian PIN code after a comma and the town: "…, Bengaluru 560095", "…, Pune 411001".
 * Six digits, the first never 0.
 */
const INDIAN_PIN_AFTER_TOWN = /,[ \t]*\p{Lu}[\p{L}-]+(?:[ \t]\p{Lu}[\p{L}-]+)?[ \t]+(?<code>[1-9]\d{5})(?![\p{L}\p{N}]|-\d)/dgu;

/**
 * UK postcodes: a real postcode area, district, then sector and unit ("BS6 5NL", "SW1A 1AA").
 * The unit letters never include C, I, K, M, O or V. Distinctive enough alone, except that
 * "M2 8GB" is more often a laptop than Manchester, so units ending in GB or TB are left out.
 */
const UK_AREAS = new Set(
  'AB AL BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT DY EC EH EN EX FK FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE LL LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE B E G L M N S W'.split(' '),
);
/** The shape; the area is checked against UK_AREAS in code (an alternation of 120 areas is slow). */
const UK_POSTCODE = /(?<area>[A-Z]{1,2})\d[A-Z\d]? ?\d(?![GT]B)[ABD-HJLNP-UW-Z]{2}(?![\p{L}\p{N}])/gu;

/** Canadian postal codes: letter, digit, letter, digit, letter, digit ("K1A 0B1"). */
const CANADIAN_POSTCODE = /(?<![\p{L}\p{N}])[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d(?![\p{L}\p{N}])/gu;

/**
 * Codes that are only codes next to a town: Dutch "1015 DV", Polish "00-251", and the five
 * digits of Germany, France, Spain, Italy and others ("10115 Berlin", "F-75001 Paris"). The
 * town must follow directly; Dutch letter pairs that read as units or eras ("1080 HD",
 * "1500 BC") are left out.
 */
const BEFORE_TOWN = [
  String.raw`[1-9]\d{3} ?(?!SA|SD|SS|AD|BC|CE|HD|GB|KB|MB|TB|PM|AM|UK|US|EU|TV|PC|CD|DJ|OK|PS|FM)[A-Z]{2}`,
  String.raw`\d{2}-\d{3}`,
  String.raw`(?:[A-Z]{1,2}-)?\d{5}`,
];
const CODE_BEFORE_TOWN = new RegExp(String.raw`(?<code>${BEFORE_TOWN.join('|')})[ \t]+(?=\p{Lu})`, 'dgu');

/**
 * "Hauptstraße 5, 8001 Zürich": four digits count too when a street, a house number of up to
 * three digits and a comma come first ("in 2019, 2020 Paris" has no house number). Codes that
 * read as years of this and the last century are left to a cue: "Apollo 11, 1969 Moon landing"
 * is more common than "Rue du Seyon 5, 2000 Neuchâtel".
 */
const FOUR_DIGITS_IN_ADDRESS = /\p{L}[ \t]\d{1,3}[a-zA-Z]?,[ \t]*(?<code>(?!19|20)\d{4})[ \t]+(?=\p{Lu})/dgu;

/** "postcode", "zip", "code postal"…, in any case, then any of the shapes. */
const CUE_WORDS = String.raw`post\s?code|postal\s+code|zip(?:\s?code)?|postleitzahl|code\s+postal|c[oó]digo\s+postal|kod\s+pocztowy|postnummer|postinumero`;
/** Acronyms that are words in lower case ("plz" is "please", "cap" a hat). */
const CUE_ACRONYMS = 'PLZ|CAP|CP|ZIP';
const ANY_SHAPE = String.raw`[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4} ?[A-Z]{2}|\d{5}(?:-\d{4})?|\d{2}-\d{3}|\d{3} ?\d{2}|\d{4}`;
const CONNECTOR = String.raw`[ \t]{0,2}(?:is[ \t]|:|-)?[ \t]{0,2}`;
const AFTER_CUE_WORD = new RegExp(String.raw`${NOT_AFTER}(?:${CUE_WORDS})${CONNECTOR}(?<code>${ANY_SHAPE})${NOT_BEFORE}`, 'dgiu');
const AFTER_CUE_ACRONYM = new RegExp(String.raw`${NOT_AFTER}(?:${CUE_ACRONYMS})${CONNECTOR}(?<code>${ANY_SHAPE})${NOT_BEFORE}`, 'dgu');

/**
 * Postal codes next to an address or a town, or after a cue; UK and Canadian codes alone.
 * Only the code is replaced: the state, and a town the place recognizer keeps, stay.
 */
export function findPostalCodes(text: string): FoundEntity[] {
  return [
    ...zipsAfterState(text),
    ...codeSpans(text, INDIAN_PIN_AFTER_TOWN),
    ...ukPostcodes(text),
    ...regexSpans(text, CANADIAN_POSTCODE, 'POSTAL_CODE'),
    ...codeSpans(text, CODE_BEFORE_TOWN, true, true),
    ...codeSpans(text, FOUR_DIGITS_IN_ADDRESS, true),
    ...codeSpans(text, AFTER_CUE_WORD),
    ...codeSpans(text, AFTER_CUE_ACRONYM),
  ];
}

function zipsAfterState(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const match of wordStarts(text, ZIP)) {
    const before = text.slice(Math.max(0, match.index - STATE_REACH), match.index);
    if (STATE_CODE_BEFORE.test(before) || STATE_NAME_BEFORE.test(before)) {
      spans.push({ type: 'POSTAL_CODE', start: match.index, end: match.index + match[0].length });
    }
  }
  return spans;
}

function ukPostcodes(text: string): FoundEntity[] {
  const spans: FoundEntity[] = [];
  for (const match of wordStarts(text, UK_POSTCODE, (found) => UK_AREAS.has(found.groups?.area ?? ''))) {
    spans.push({ type: 'POSTAL_CODE', start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/**
 * The `code` group of every match (the `d` flag gives its offsets); with `beforeTown`, only
 * where the word after it can be a town; with `atWordStart`, only matches that start a word
 * and not right after a dash (checked here rather than by a slow lookbehind).
 */
function codeSpans(text: string, pattern: RegExp, beforeTown = false, atWordStart = false): FoundEntity[] {
  const spans: FoundEntity[] = [];
  const matches = atWordStart ? wordStarts(text, pattern, (match) => match.input[match.index - 1] !== '-') : text.matchAll(pattern);
  for (const match of matches) {
    const [start, end] = match.indices?.groups?.code ?? [0, 0];
    if (end === 0) continue;
    if (beforeTown && !isTownWordAt(text, match.index + match[0].length)) continue;
    spans.push({ type: 'POSTAL_CODE', start, end });
  }
  return spans;
}
