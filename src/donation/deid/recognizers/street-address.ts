import type { FoundEntity } from '../found-entity';
import { regexSpans } from '../regex-spans';

/** Street types that end an English street name; both "Street" and "street" count. */
const STREET_SUFFIXES = [
  'Street', 'St', 'Avenue', 'Ave', 'Av', 'Road', 'Rd', 'Lane', 'Ln', 'Boulevard', 'Blvd', 'Drive', 'Dr',
  'Court', 'Ct', 'Place', 'Pl', 'Terrace', 'Ter', 'Way', 'Parkway', 'Pkwy', 'Highway', 'Hwy', 'Circle', 'Cir',
  'Square', 'Sq', 'Crescent', 'Cres', 'Close', 'Row', 'Alley', 'Trail', 'Plaza', 'Grove', 'Gardens', 'Mews',
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

const ENGLISH_ADDRESS = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?<!\d[ -])${HOUSE_NUMBER}(?:\s+${DIRECTION})?(?:\s+${NAME_WORD}){1,4}\s+${SUFFIX}(?![\p{L}\p{N}])${UNIT}?`,
  'gu',
);

/** "Hauptstraße 5", "Berliner Str. 12a", "Lindenweg 3". */
const GERMAN_ADDRESS = /(?<![\p{L}\p{N}])(?:\p{Lu}[\p{L}-]*er\s)?\p{Lu}[\p{L}-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz)\s\d{1,4}[a-z]?(?![\p{L}\p{N}])/gu;

/** "12 rue de la Paix", "5 bis, avenue Victor Hugo". */
const FRENCH_ADDRESS = /(?<![\p{L}\p{N}])\d{1,4}(?:\s?(?:bis|ter))?,?\s(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai)\s(?:(?:de\sla|de|du|des)\s|d['’]|l['’])?\p{Lu}[\p{L}'’-]*(?:\s\p{Lu}[\p{L}'’-]*){0,3}/gu;

/**
 * Street addresses: a house number, a capitalized street name and a street type, with an
 * optional unit ("Apt 4B"); plus the German "Name-straße 5" and French "12 rue …" orders.
 * Town and postcode are left to the place recognizer; addresses without a street type
 * ("12 Downing") or written all in lower case are not found.
 */
export function findStreetAddresses(text: string): FoundEntity[] {
  return [
    ...regexSpans(text, ENGLISH_ADDRESS, 'STREET_ADDRESS'),
    ...regexSpans(text, GERMAN_ADDRESS, 'STREET_ADDRESS'),
    ...regexSpans(text, FRENCH_ADDRESS, 'STREET_ADDRESS'),
  ];
}
