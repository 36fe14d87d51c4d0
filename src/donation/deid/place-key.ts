/**
 * The form in which a written place name is looked up in the gazetteer: accents and letters
 * such as ł, ø, ß folded to ASCII, lower case, curly apostrophes straight, hyphens and runs of
 * spaces as one space. People type "Krakow" for "Kraków" and "Stoke on Trent" for
 * "Stoke-on-Trent"; the generator (scripts/build-deid-word-lists.ts) writes keys in this form.
 */
export function placeKey(written: string): string {
  return written
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[łŁ]/gu, 'l')
    .replace(/[øØ]/gu, 'o')
    .replace(/ß/gu, 'ss')
    .replace(/[ıİ]/gu, 'i')
    .replace(/[đĐ]/gu, 'd')
    .replace(/[æÆ]/gu, 'ae')
    .replace(/[‘’ʼ`]/gu, "'")
    .toLowerCase()
    .replace(/[\s-]+/gu, ' ')
    .trim();
}
