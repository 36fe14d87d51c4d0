/**
 * What people write before the place they live in, come from or were born in, in the languages
 * users mix into chat here; for recognizers/places-gazetteer.ts. Each is a regular-expression
 * source ending right before the place. These are first person by themselves ("j'habite à",
 * "mieszkam w"), so no subject check is needed.
 */
/** Up to ~30 characters of date between "born" and the preposition: "née le 3 mars 1994 à", "się 12.03.1994 w". */
const DATE_GAP = String.raw`(?:\s+(?:on|the|le|el|il|am|dnia)?\s*(?:[^,.!?\n]|\.(?=\d)){1,30}?)?`;

export const FOREIGN_PERSONAL_CUES: readonly string[] = [
  // German
  String.raw`(?:ich wohne|wir wohnen|ich lebe|wir leben)\s+(?:in|bei|nahe|nähe von)`,
  String.raw`(?:ich komme|wir kommen|ich stamme|wir stammen)\s+aus`,
  String.raw`geboren${DATE_GAP}\s+in`,
  // French
  String.raw`(?:j['’]habite|nous habitons|je vis|nous vivons|je réside|j['’]ai grandi|nous avons grandi)\s+(?:à|au|aux|en|près de)`,
  String.raw`(?:je viens|nous venons|je suis originaire|nous sommes originaires)\s+(?:de|d['’]|du)`,
  String.raw`(?:né|née|nés|nées)${DATE_GAP}\s+à`,
  // Spanish and Portuguese
  String.raw`(?:vivo|vivimos|resido|residimos|moro|moramos|crecí)\s+(?:en|em|no|na)`,
  String.raw`(?:soy|somos|sou)\s+(?:de|do|da)`,
  String.raw`(?:nací|nacido|nacida|nasci)${DATE_GAP}\s+(?:en|em)`,
  // Italian
  String.raw`(?:abito|abitiamo|vivo|viviamo|sono cresciuto|sono cresciuta)\s+(?:a|ad|in)`,
  String.raw`(?:nato|nata)${DATE_GAP}\s+a`,
  // Dutch
  String.raw`(?:ik woon|wij wonen|we wonen|ik ben opgegroeid|ik kom|wij komen|we komen)\s+(?:in|bij|uit)`,
  // Polish
  String.raw`(?:mieszkam|mieszkamy|mieszkałem|mieszkałam|dorastałem|dorastałam)\s+(?:w|we|na|pod)`,
  String.raw`(?:pochodzę|pochodzimy|jestem|jesteśmy)\s+(?:z|ze)`,
  String.raw`urodził(?:em|am)?\s+się${DATE_GAP}\s+(?:w|we)`,
  // English: born with a date between ("I was born on 12 May 1990 in Leeds")
  String.raw`born${DATE_GAP}\s+in`,
];

/** Form labels: "Geburtsort: Castrop-Rauxel", "Place of birth: Leeds". */
export const PLACE_LABELS = String.raw`(?:place of birth|birthplace|birth place|home ?town|town of residence|geburtsort|wohnort|heimatort|heimatstadt|lieu de naissance|ville natale|lugar de nacimiento|luogo di nascita|città natale|miejsce urodzenia|miejscowość|woonplaats|geboorteplaats)\s*:`;

/** Prepositions of place in those languages, before a gazetteer name only ("à Lyon", "w Gdańsku", "aus Köln"). */
export const FOREIGN_PLAIN_CUES = String.raw`à|aus|nach|uit|naar|w|we|z|ze|en`;

/**
 * Endings of town names in English, German, Dutch, French, Polish and Scandinavian, for a
 * capitalized word nobody's dictionary knows after "in" or "near" ("in Headingley", "near
 * Ormskirk", "in Kleinmachnow"): with no cue before it such a word stays.
 */
export const TOWN_ENDINGS = new RegExp(
  String.raw`\p{L}{2,}(?:ley|leigh|ton|ham|ford|by|thorpe|worth|wick|wich|mouth|pool|field|bury|borough|brough|burgh|caster|chester|cester|stead|hurst|den|dale|well|minster|port|bridge|combe|ness|stow|stowe|kirk|church|holme|dorf|heim|hausen|burg|berg|stadt|feld|ingen|bach|hofen|rode|furt|itz|ow|dam|drecht|hoven|wijk|veen|horst|ville|court|mont|bourg|ów|owo|owice|ice|stad|holm|vik|köping)$`,
  'u',
);
