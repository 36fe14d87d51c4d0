/**
 * Address orders other than "number, name, street type", for street-address.ts. Each may run
 * on over its postcode and town ("Prinsengracht 40, 1015 DV Amsterdam"): the postcode alone is
 * the postal-code recognizer's, but a street, postcode and town are one address.
 */
/** "Amsterdam", "Bassano del Grappa", "Freiburg im Breisgau". */
const TOWN = String.raw`\p{Lu}[\p{L}'’-]*(?:[ \t](?:(?:im|am|an der|upon|on|sur|sul|del|della|de|di)[ \t])?\p{Lu}[\p{L}'’-]*){0,2}`;
const NOT_AFTER_WORD = String.raw`(?<![\p{L}\p{N}])`;
/** "via" or "Via": the street word in either case. (A /i flag would let \p{Lu} match lower case too.) */
const anyCase = (words: readonly string[]) => `(?:${words.map((word) => `[${word[0]!.toUpperCase()}${word[0]}]${word.slice(1).replace(/[./]/gu, '\\$&')}`).join('|')})`;
const NOT_BEFORE_WORD = String.raw`(?![\p{L}\p{N}])`;

/** German, Austrian, Swiss: "Hauptstraße 5", "Berliner Str. 12a", "Am Lindenweg 3-5, 10115 Berlin". */
const GERMAN_TYPES = String.raw`(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|stieg|pfad|markt|Straße|Strasse|Str\.|Weg|Gasse|Allee|Platz|Ring|Damm|Ufer|Chaussee)`;
export const GERMAN_ADDRESS = new RegExp(
  String.raw`${NOT_AFTER_WORD}(?:\p{Lu}[\p{L}-]*er\s)?\p{Lu}[\p{L}-]*${GERMAN_TYPES}\s\d{1,4}[a-z]?(?:\s?[-/]\s?\d{1,4}[a-z]?)?(?:,?\s+(?:D-|A-|CH-)?\d{4,5}\s+${TOWN})?${NOT_BEFORE_WORD}`,
  'gu',
);

/** French, Belgian, Swiss: "12 rue de la Paix", "5 bis, avenue Victor Hugo, 75016 Paris". */
export const FRENCH_ADDRESS = new RegExp(
  String.raw`${NOT_AFTER_WORD}\d{1,4}(?:\s?(?:bis|ter))?,?\s(?:rue|avenue|av\.|boulevard|bd|place|chemin|allée|impasse|quai|route|cours|passage|square)\s(?:(?:de\sla|de|du|des)\s|d['’]|l['’])?\p{Lu}[\p{L}'’-]*(?:\s\p{Lu}[\p{L}'’-]*){0,3}(?:,?\s+\d{5}\s+${TOWN})?`,
  'gu',
);

/** Dutch and Flemish: "Prinsengracht 40", "Kerkstraat 12-hs, 1017 GB Amsterdam". */
const DUTCH_TYPES = String.raw`(?:straat|gracht|laan|weg|plein|kade|dijk|singel|steeg|pad|hof|markt|dreef|baan|Straat|Gracht|Laan|Plein|Kade|Dijk|Singel)`;
export const DUTCH_ADDRESS = new RegExp(
  String.raw`${NOT_AFTER_WORD}\p{Lu}[\p{L}-]*${DUTCH_TYPES}\s\d{1,4}(?:[-\s]?(?:hs|bis|[A-Za-z]|I{1,3}|\d{1,3})(?![\p{L}\p{N}]))?(?:,?\s+\d{4}\s?[A-Z]{2}\s+${TOWN})?${NOT_BEFORE_WORD}`,
  'gu',
);

/** Polish: "ul. Miodowa 7/2, 00-251 Warszawa", "al. Jana Pawła II 12 m. 4", "os. Tysiąclecia 5". */
export const POLISH_ADDRESS = new RegExp(
  String.raw`${NOT_AFTER_WORD}${anyCase(['ul.', 'ulica', 'al.', 'aleja', 'os.', 'osiedle', 'pl.', 'plac'])}\s?\p{Lu}[\p{L}.-]*(?:\s(?:\p{Lu}[\p{L}.-]*|[IVX]{1,4}))*\s\d{1,4}[A-Za-z]?(?:\s?\/\s?\d{1,4}[A-Za-z]?|\s?m\.\s?\d{1,4})?(?:,?\s+\d{2}-\d{3}\s+${TOWN})?${NOT_BEFORE_WORD}`,
  'gu',
);

/**
 * Indian: a flat, house, plot or door number, then comma-separated parts that each start with a
 * capital or a digit, up to an optional six-digit PIN ("Flat 302, Sai Residency, 14th Cross,
 * Indiranagar, Bengaluru 560038"; "H.No. 12-3-45, Road No. 5, Banjara Hills").
 */
const INDIAN_PART = String.raw`[\p{Lu}\p{N}][\p{L}\p{N}.'’/-]*(?:[ \t][\p{Lu}\p{N}][\p{L}\p{N}.'’/-]*){0,4}`;
export const INDIAN_ADDRESS = new RegExp(
  String.raw`${NOT_AFTER_WORD}(?:(?:Flat|House|Plot|Door|Shop|Villa)\s*(?:No\.?\s*)?|(?:H|D)\.?\s?No\.?\s*|No\.\s?|#\s?)\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)*(?:,\s*${INDIAN_PART}){1,6}(?:\s*[-,]?\s*\d{3}\s?\d{3})?${NOT_BEFORE_WORD}`,
  'gu',
);

/** Spanish, Catalan, Portuguese: "calle de Toledo 58, 3º izq", "Rua das Flores, 12", "C/ Mayor 5". */
export const IBERIAN_ADDRESS = new RegExp(
  String.raw`${NOT_AFTER_WORD}${anyCase(['calle', 'c/', 'avenida', 'avda.', 'paseo', 'plaza', 'carrer', 'passeig', 'rua', 'travessa', 'largo'])}\s?(?:(?:de\s(?:la\s|las\s|los\s)?|del\s|das\s|dos\s|da\s|do\s|d['’]))?\p{Lu}[\p{L}'’-]*(?:\s(?:de\s)?\p{Lu}[\p{L}'’-]*){0,3},?\s(?:n\.?º\s?)?\d{1,4}[A-Za-z]?(?:,?\s?\d{1,2}\s?[ºª°]\s?(?:izq(?:da)?|dcha|[A-Z])?\.?)?(?:,?\s+\d{4,5}(?:-\d{3})?\s+${TOWN})?`,
  'gu',
);

/** Italian: "via Garibaldi 22", "Piazza della Signoria, 5", "corso Vittorio Emanuele II 12/B". */
export const ITALIAN_ADDRESS = new RegExp(
  String.raw`${NOT_AFTER_WORD}${anyCase(['via', 'viale', 'piazza', 'piazzale', 'corso', 'largo', 'vicolo', 'strada', 'contrada'])}\s(?:(?:del|della|dei|degli|delle|di|dello)\s|dell['’])?\p{Lu}[\p{L}'’-]*(?:\s(?:\p{Lu}[\p{L}'’-]*|[IVX]{1,4}))*,?\s\d{1,4}(?:\s?\/\s?[A-Za-z\d]{1,3})?(?:,?\s+\d{5}\s+${TOWN})?${NOT_BEFORE_WORD}`,
  'gu',
);

/** "14th Cross", "5th Main Road", "Sector 15", "2nd Stage": Indian street parts with no house number before them. */
export const INDIAN_STREET_PART = /(?<![\p{L}\p{N}])(?:\d{1,2}(?:st|nd|rd|th)\s+(?:Cross|Main)(?:\s+Road)?|(?:Sector|Phase|Block)\s+\d{1,3}[A-Z]?)(?![\p{L}\p{N}])/gu;
