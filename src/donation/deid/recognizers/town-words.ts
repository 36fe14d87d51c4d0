/**
 * Whether the word at a position can be the town after a postal code ("10115 Berlin",
 * "1015 DV Amsterdam", "00-251 Warszawa"): a capital and then lower-case letters, and not a
 * word that follows a number for another reason ("10000 Euro", "12345 Users", "in 1990 The").
 */
const TOWN_WORD = /\p{Lu}\p{Ll}[\p{L}'’-]*/uy;

const NOT_A_TOWN = new Set([
  // Currencies and units, as a capitalized word or at the start of a line.
  'euro', 'euros', 'dollar', 'dollars', 'pound', 'pounds', 'yen', 'yuan', 'franc', 'francs', 'franken', 'kronor', 'kronen',
  'krone', 'kroner', 'złoty', 'zloty', 'rupees', 'rupien', 'pesos', 'reais', 'rubel', 'rubles', 'bitcoin', 'satoshi', 'cents',
  'meter', 'meters', 'metres', 'kilometer', 'kilometers', 'km', 'miles', 'feet', 'acres', 'tons', 'tonnes', 'kg', 'calories',
  'kalorien', 'stück', 'pieces', 'units', 'items', 'copies', 'points', 'punkte', 'steps', 'schritte',
  // Counted things.
  'users', 'people', 'persons', 'personen', 'menschen', 'students', 'employees', 'mitarbeiter', 'members', 'followers',
  'subscribers', 'views', 'likes', 'downloads', 'words', 'wörter', 'lines', 'rows', 'records', 'pages', 'seiten', 'tokens',
  'years', 'jahre', 'days', 'tage', 'hours', 'stunden', 'minutes', 'minuten', 'seconds', 'sekunden', 'times', 'mal',
  // Words that start a sentence or a clause.
  'the', 'a', 'an', 'and', 'or', 'but', 'if', 'in', 'on', 'at', 'to', 'for', 'of', 'by', 'with', 'from', 'is', 'was',
  'it', 'this', 'that', 'there', 'then', 'we', 'you', 'he', 'she', 'they', 'my', 'our', 'your', 'der', 'die', 'das', 'und',
  'le', 'la', 'les', 'el', 'los', 'las', 'de', 'het', 'een',
  // Months and weekdays.
  'january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december',
  'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);

export function isTownWordAt(text: string, index: number): boolean {
  TOWN_WORD.lastIndex = index;
  const word = TOWN_WORD.exec(text)?.[0];
  return word !== undefined && !NOT_A_TOWN.has(word.toLowerCase());
}
