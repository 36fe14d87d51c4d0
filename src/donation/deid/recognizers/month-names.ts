/**
 * Month names as written in English and the main European languages, with their common
 * abbreviations, so that "2 juin 1988", "5 de marzo de 1990", "12 maart 1985" and
 * "14 lutego 1979" are dates. Polish has the nominative and the genitive a date uses.
 * Accented names are also accepted without their accents, as people type them.
 */
const NAMES_BY_MONTH: readonly (readonly string[])[] = [
  ['january', 'jan', 'januar', 'jänner', 'janvier', 'janv', 'enero', 'ene', 'gennaio', 'gen', 'janeiro', 'januari', 'styczeń', 'stycznia', 'sty'],
  ['february', 'feb', 'februar', 'feber', 'février', 'févr', 'fév', 'febrero', 'febbraio', 'fevereiro', 'fev', 'februari', 'luty', 'lutego', 'lut'],
  ['march', 'mar', 'märz', 'maerz', 'mär', 'mars', 'marzo', 'março', 'maart', 'mrt', 'marzec', 'marca'],
  ['april', 'apr', 'avril', 'avr', 'abril', 'abr', 'aprile', 'kwiecień', 'kwietnia', 'kwi'],
  ['may', 'mai', 'mayo', 'maggio', 'mag', 'maio', 'mei', 'maj', 'maja'],
  ['june', 'jun', 'juni', 'juin', 'junio', 'giugno', 'giu', 'junho', 'czerwiec', 'czerwca', 'cze'],
  ['july', 'jul', 'juli', 'juillet', 'juil', 'julio', 'luglio', 'lug', 'julho', 'lipiec', 'lipca', 'lip'],
  ['august', 'aug', 'août', 'agosto', 'ago', 'augustus', 'sierpień', 'sierpnia', 'sie'],
  ['september', 'sep', 'sept', 'septembre', 'septiembre', 'setiembre', 'settembre', 'set', 'setembro', 'wrzesień', 'września', 'wrz'],
  ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre', 'ottobre', 'ott', 'outubro', 'out', 'październik', 'października', 'paź'],
  ['november', 'nov', 'novembre', 'noviembre', 'novembro', 'listopad', 'listopada', 'lis'],
  ['december', 'dec', 'dezember', 'dez', 'décembre', 'déc', 'diciembre', 'dic', 'dicembre', 'dezembro', 'grudzień', 'grudnia', 'gru'],
];

/** Three-letter abbreviations that are also everyday words in one of these languages ("set", "out", "gen"); a date needs them in full. */
const TOO_COMMON_ALONE = new Set(['set', 'out', 'gen', 'mag', 'lis', 'sie', 'lip', 'lut', 'ago', 'dic', 'lug', 'sty']);

const stripAccents = (name: string) => name.normalize('NFD').replace(/\p{M}/gu, '').replace(/ł/gu, 'l');

const MONTH_OF = new Map<string, number>();
for (const [index, names] of NAMES_BY_MONTH.entries()) {
  for (const name of names) {
    if (TOO_COMMON_ALONE.has(name)) continue;
    MONTH_OF.set(name, index + 1);
    MONTH_OF.set(stripAccents(name), index + 1);
  }
}

/** 1–12 for a month name in any of the languages (any case, accents optional), else 0. */
export function monthNumber(name: string): number {
  const lower = name.toLowerCase().replace(/\.$/u, '');
  return MONTH_OF.get(lower) ?? MONTH_OF.get(stripAccents(lower)) ?? 0;
}

/** An alternation of every name, longest first so that "june" is not read as "jun" + "e". */
export const MONTH_NAME_PATTERN = [...MONTH_OF.keys()]
  .sort((a, b) => b.length - a.length)
  .join('|');
