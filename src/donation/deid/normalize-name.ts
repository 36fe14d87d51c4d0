/**
 * The form in which two spellings of one name count as the same value: Unicode NFC, lower
 * case, runs of whitespace as one space. "Ada  Lovelace" and "ada lovelace" are one person.
 */
export function normalizeName(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}
