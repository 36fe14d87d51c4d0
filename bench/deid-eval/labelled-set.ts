/**
 * The project's own labelled set for the de-identifier (bench/deid-data/labelled.jsonl): its
 * categories, the groups the targets of issue 16 are set for, and a loader that refuses a
 * malformed file. The unit test and `npm run bench:deid` both read the set through this file,
 * so a broken line fails the test instead of silently skewing the figures.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LABELLED_SET_PATH = fileURLToPath(new URL('../deid-data/labelled.jsonl', import.meta.url));

/** What a labelled identifier is; the names match the bundle's entity types where one exists. */
export const CATEGORIES = [
  'EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'IP_ADDRESS', 'URL', 'NATIONAL_ID', 'POSTAL_CODE',
  'DATE_OF_BIRTH', 'USER_HANDLE', 'LICENSE_PLATE', 'AGE',
  'PERSON', 'PLACE', 'STREET_ADDRESS', 'INSTITUTION',
  'SECRET',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Group {
  name: string;
  categories: readonly Category[];
  /** Least recall for issue 16's done-when. */
  target: number;
}

/** Issue 16, item 9: the targets are set per group, not per category. */
export const GROUPS: readonly Group[] = [
  {
    name: 'structured',
    categories: [
      'EMAIL', 'PHONE', 'CREDIT_CARD', 'IBAN', 'US_SSN', 'IP_ADDRESS', 'URL', 'NATIONAL_ID', 'POSTAL_CODE',
      'DATE_OF_BIRTH', 'USER_HANDLE', 'LICENSE_PLATE', 'AGE',
    ],
    target: 0.98,
  },
  { name: 'names+places', categories: ['PERSON', 'PLACE', 'STREET_ADDRESS', 'INSTITUTION'], target: 0.92 },
  { name: 'secrets', categories: ['SECRET'], target: 1 },
];

/** Share of clean messages that must come back exactly as they went in. */
export const CLEAN_UNCHANGED_TARGET = 0.9;

export interface LabelledIdentifier {
  /** An exact substring of the message; every occurrence of it must be gone after redaction. */
  text: string;
  category: Category;
}

export interface LabelledMessage {
  id: string;
  text: string;
  identifiers: LabelledIdentifier[];
  /** No identifiers at all: only look-alikes, which must survive unchanged. */
  clean: boolean;
}

export function groupOf(category: Category): Group {
  const group = GROUPS.find((candidate) => candidate.categories.includes(category));
  if (group === undefined) throw new Error(`category ${category} is in no group`);
  return group;
}

const isCategory = (value: unknown): value is Category => CATEGORIES.includes(value as Category);

/** One line, checked; throws with the reason so the file can be fixed by hand. */
export function parseLabelledLine(line: string): LabelledMessage {
  const value: unknown = JSON.parse(line);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  const record = value as Record<string, unknown>;
  const { id, text, identifiers, clean } = record;
  if (typeof id !== 'string' || id === '') throw new Error('no string "id"');
  if (typeof text !== 'string' || text.trim() === '') throw new Error(`${id}: no string "text"`);
  if (typeof clean !== 'boolean') throw new Error(`${id}: "clean" is not a boolean`);
  if (!Array.isArray(identifiers)) throw new Error(`${id}: "identifiers" is not an array`);
  const checked = identifiers.map((item: unknown): LabelledIdentifier => {
    if (typeof item !== 'object' || item === null) throw new Error(`${id}: an identifier is not an object`);
    const identifier = item as Partial<Record<keyof LabelledIdentifier, unknown>>;
    if (typeof identifier.text !== 'string' || identifier.text.trim() === '') throw new Error(`${id}: an identifier has no text`);
    if (!isCategory(identifier.category)) throw new Error(`${id}: unknown category ${String(identifier.category)}`);
    if (!text.includes(identifier.text)) throw new Error(`${id}: "${identifier.text}" is not a substring of the text`);
    return { text: identifier.text, category: identifier.category };
  });
  if (clean && checked.length > 0) throw new Error(`${id}: a clean message has identifiers`);
  if (!clean && checked.length === 0) throw new Error(`${id}: not clean but has no identifiers`);
  return { id, text, identifiers: checked, clean };
}

/** The whole set; ids must be unique, so a miss can be looked up by its id. */
export function loadLabelledSet(path: string = LABELLED_SET_PATH): LabelledMessage[] {
  const messages: LabelledMessage[] = [];
  const seen = new Set<string>();
  readFileSync(path, 'utf8').split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let message: LabelledMessage;
    try {
      message = parseLabelledLine(line);
    } catch (error) {
      throw new Error(`${path}:${index + 1}: ${(error as Error).message}`);
    }
    if (seen.has(message.id)) throw new Error(`${path}:${index + 1}: duplicate id ${message.id}`);
    seen.add(message.id);
    messages.push(message);
  });
  return messages;
}
