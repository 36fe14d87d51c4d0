import type { FoundEntity } from '../found-entity';
import { isAlwaysKeptPlace } from '../keep-list';
import { regexSpans } from '../regex-spans';
import {
  DUTCH_ADDRESS, FRENCH_ADDRESS, GERMAN_ADDRESS, IBERIAN_ADDRESS, INDIAN_ADDRESS, INDIAN_STREET_PART, ITALIAN_ADDRESS, POLISH_ADDRESS,
} from './street-address-forms';

/** Street types that end an English street name; both "Street" and "street" count. */
const STREET_SUFFIXES = [
  'Street', 'St', 'Avenue', 'Ave', 'Av', 'Road', 'Rd', 'Lane', 'Ln', 'Boulevard', 'Blvd', 'Drive', 'Dr',
  'Court', 'Ct', 'Place', 'Pl', 'Terrace', 'Ter', 'Way', 'Parkway', 'Pkwy', 'Highway', 'Hwy', 'Circle', 'Cir',
  'Square', 'Sq', 'Crescent', 'Cres', 'Close', 'Row', 'Alley', 'Trail', 'Plaza', 'Grove', 'Gardens', 'Mews',
  'Walk', 'Rise', 'Parade', 'Hill', 'Vale', 'Wharf', 'Quay', 'Park', 'Green', 'Broadway', 'Esplanade',
];
const SUFFIX = `(?:${STREET_SUFFIXES.map((suffix) => `[${suffix[0]}${suffix[0]!.toLowerCase()}]${suffix.slice(1)}`).join('|')})\\.?`;

/** House number: 12, 12B, 12-14, 1/2; not the last group of a longer number ("212 555 0143 Main St"). */
const HOUSE_NUMBER = String.raw`\d{1,6}(?:[-/]\d{1,4})?[A-Za-z]?`;
const DIRECTION = String.raw`(?:[NSEW]\.?|North|South|East|West|NE|NW|SE|SW)`;
/**
 * A street name is capitalized words or ordinals ("Oak", "Martin Luther King", "5th"), but not
 * an article or preposition: "in 2020 The Court ruled" is not an address.
 */
const NOT_A_NAME = String.raw`(?!(?:The|A|An|And|Or|Of|In|On|At|To|For|By|My|Our|Your|His|Her|Their|This|That)(?![\p{L}\p{N}]))`;
const NAME_WORD = String.raw`(?:${NOT_A_NAME}\p{Lu}[\p{L}'’.-]*|\d{1,3}(?:st|nd|rd|th))`;
/** "Apt 4B", "Suite 210", "#12"; a longer token after the word (a phone number) is not a unit. */
const UNIT = String.raw`(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm|#)\.?\s*#?\s*[\p{L}\p{N}-]{1,6}(?![\p{L}\p{N}-]))`;

/** "Flat 3, 22 Ashley Road": the flat before the house number belongs to the address. */
const FLAT_FIRST = String.raw`(?:(?:Flat|Apartment|Apt|Unit)\s+[\p{L}\p{N}]{1,5},?\s+)?`;
/** A town with a UK postcode or a US state and ZIP after it: ", Bristol BS6 5NL", ", Springfield, IL 62704". */
const TOWN_AND_CODE = String.raw`(?:,\s*\p{Lu}[\p{L}'’-]*(?:\s\p{Lu}[\p{L}'’-]*){0,2},?\s+(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|(?:[A-Z]{2}\s+)?\d{5}(?:-\d{4})?)(?![\p{L}\p{N}]))?`;

const ENGLISH_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?<!\d[ -])${FLAT_FIRST}${HOUSE_NUMBER}(?:\s+${DIRECTION})?(?:\s+${NAME_WORD}){1,4}\s+${SUFFIX}(?![\p{L}\p{N}])${UNIT}?${TOWN_AND_CODE}`,
  'gu',
);

/**
 * Lower case after a cue only ("i live at 42 oakfield road", "moved to apt 4c, 310 w 99th st"):
 * without one, "3 dogs on main street" would be an address.
 */
const LOWERCASE_CUE = String.raw`(?:live[sd]?|living|stay(?:ing|ed)?|address(?:\s+is)?|moved|moving|move|send\s+(?:it|them|this)|deliver(?:ed|y)?|ship(?:ped)?)\s+(?:at|to|in|:)?\s*`;
const LOWERCASE_WORD = String.raw`(?!(?:the|a|an|and|or|of|in|on|at|to|for|by|my|our|your|with|from|is|are|was)\s)[a-z][a-z'’-]*`;
const LOWERCASE_ADDRESS = new RegExp(
  String.raw`(?<=(?<![\p{L}])${LOWERCASE_CUE})(?:(?:apt|apartment|flat|unit)\s+[a-z\d]{1,5},?\s+)?\d{1,6}[a-z]?(?:\s+(?:[nsew]\.?|north|south|east|west))?(?:\s+(?:${LOWERCASE_WORD}|\d{1,3}(?:st|nd|rd|th))){1,3}\s+${SUFFIX}(?![\p{L}\p{N}])${UNIT}?`,
  'giu',
);

/** The town right after an English address and a comma, ending the clause: "22 Ashley Road, Bristol." */
const TOWN_AFTER = /^,[ \t]*(\p{Lu}[\p{L}'’-]*(?:[ \t]\p{Lu}[\p{L}'’-]*){0,2})(?=[ \t]*(?:[.,;:!?)\n]|$))/u;

/**
 * Street addresses: a house number, a capitalized street name and a street type, with an
 * optional unit ("Apt 4B") and, when a postcode follows, the town and postcode; plus German and
 * Dutch "Name-straße 5", French "12 rue …", Polish "ul. Name 7/2" and Indian "Flat 302, …"
 * forms (street-address-forms.ts). A town that follows an English address without a postcode is
 * a PLACE of its own (a big city too: the address says the user lives there), unless it is a
 * state or country. Lower-case addresses count after a cue ("i live at 42 oakfield road").
 * Addresses without a street type ("12 Downing") are not found.
 */
export function findStreetAddresses(text: string): FoundEntity[] {
  const english = regexSpans(text, ENGLISH_ADDRESS, 'STREET_ADDRESS');
  return [
    ...english,
    ...english.flatMap((address) => townAfter(text, address.end)),
    ...[LOWERCASE_ADDRESS, GERMAN_ADDRESS, FRENCH_ADDRESS, DUTCH_ADDRESS, POLISH_ADDRESS, IBERIAN_ADDRESS, ITALIAN_ADDRESS, INDIAN_ADDRESS, INDIAN_STREET_PART].flatMap((pattern) =>
      regexSpans(text, pattern, 'STREET_ADDRESS'),
    ),
  ];
}

function townAfter(text: string, end: number): FoundEntity[] {
  const match = TOWN_AFTER.exec(text.slice(end, end + 80));
  if (match === null || isAlwaysKeptPlace(match[1]!)) return [];
  const start = end + match[0].length - match[1]!.length;
  return [{ type: 'PLACE', start, end: start + match[1]!.length }];
}
